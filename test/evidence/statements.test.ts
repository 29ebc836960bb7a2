import { describe, expect, it } from 'vitest';
import { multiLineStatements } from '../../src/evidence/statements.js';
import type { Finding } from '../../src/types.js';

function finding(over: Partial<Finding> & { start: number; end: number; path?: string }): Finding {
  const { start, end, path = 'app/settings.py', ...rest } = over;
  return {
    ruleId: 'SOC2-003',
    ruleName: 'r',
    title: 't',
    severity: 'medium',
    confidence: 'high',
    controls: ['CC6.1'],
    cwe: [],
    message: 'm',
    location: { path, startLine: start, startColumn: 1, endLine: end, endColumn: 1 },
    snippet: 'MIDDLEWARE = [',
    fingerprint: `fp-${path}-${start}`,
    ...rest,
  } as Finding;
}

const TOKEN = 'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';
const FILE = [
  'MIDDLEWARE = [',
  "    'django.middleware.security.SecurityMiddleware',",
  "    'django.contrib.sessions.middleware.SessionMiddleware',",
  `    "${TOKEN}",`,
  "    'x9Q2kLm7Vb3Rt8Zp4Wn6',",
  '    PASSWORD="hunter2hunter2",',
  "    'sessionmiddleware/authenticationmiddleware',",
  ']',
];

describe('multi-line statements for the PDF', () => {
  it('shows the statement whole, up to the bound, with secrets masked', () => {
    const out = multiLineStatements([finding({ start: 1, end: 8 })], (p) => (p === 'app/settings.py' ? FILE : undefined));
    const text = out['fp-app/settings.py-1']!;
    expect(text.split('\n')).toHaveLength(8);
    expect(text).toContain("'django.middleware.security.SecurityMiddleware',");
    expect(text).toContain("'sessionmiddleware/authenticationmiddleware',");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('x9Q2kLm7Vb3Rt8Zp4Wn6');
    expect(text).not.toContain('hunter2');
  });

  it('cuts a long statement after the bound and marks the cut', () => {
    const long = ['path(', ...Array.from({ length: 20 }, (_, i) => `    'a${i}',`), ')'];
    const text = multiLineStatements([finding({ start: 1, end: 22, snippet: 'path(' })], () => long)['fp-app/settings.py-1']!;
    expect(text.split('\n')).toEqual(['path(', ...long.slice(1, 8), '…']);
  });

  it("uses another finding's redacted snippet for a line where it starts, and leaves secret findings one line", () => {
    const secret = finding({ ruleId: 'SOC2-002', start: 4, end: 5, snippet: '    "ghp_****",' });
    const out = multiLineStatements([finding({ start: 1, end: 5 }), secret], () => FILE);
    expect(out['fp-app/settings.py-1']!.split('\n')[3]).toBe('    "ghp_****",');
    expect(out['fp-app/settings.py-4']).toBeUndefined();
  });

  it('skips one-line findings and unreadable files', () => {
    expect(multiLineStatements([finding({ start: 1, end: 1 }), finding({ start: 2, end: 4, path: 'gone.py' })], () => undefined)).toEqual({});
  });
});
