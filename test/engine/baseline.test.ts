import { describe, expect, it } from 'vitest';
import { applyBaseline, formatBaseline, parseBaseline } from '../../src/engine/baseline.js';
import type { Finding } from '../../src/types.js';

function finding(path: string, fingerprint: string, suppressed = false): Finding {
  const f: Finding = {
    ruleId: 'SOC2-002',
    ruleName: 'HardcodedSecret',
    title: 't',
    severity: 'high',
    confidence: 'high',
    controls: [],
    cwe: [],
    message: 'm',
    location: { path, startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    snippet: '',
    fingerprint,
  };
  if (suppressed) f.suppression = { kind: 'inSource', justification: 'ok' };
  return f;
}

describe('baseline file', () => {
  it('is sorted by path and fingerprint, one entry per line, without timestamps or suppressed findings', () => {
    const text = formatBaseline([
      finding('src/b.js', 'ca1:02'),
      finding('src/a.js', 'ca1:09'),
      finding('src/a.js', 'ca1:01'),
      finding('src/c.js', 'ca1:05', true),
    ]);
    expect(text).toBe(
      [
        '{',
        '  "version": 1,',
        '  "tool": "complianceagent",',
        '  "findings": [',
        '    {"fingerprint":"ca1:01","ruleId":"SOC2-002","path":"src/a.js"},',
        '    {"fingerprint":"ca1:09","ruleId":"SOC2-002","path":"src/a.js"},',
        '    {"fingerprint":"ca1:02","ruleId":"SOC2-002","path":"src/b.js"}',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    expect(parseBaseline(text, 'b.json').map((e) => e.fingerprint)).toEqual(['ca1:01', 'ca1:09', 'ca1:02']);
  });

  it('writes an empty list as valid JSON', () => {
    expect(JSON.parse(formatBaseline([]))).toEqual({ version: 1, tool: 'complianceagent', findings: [] });
  });

  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['another version', '{"version":2,"findings":[]}', /is not a complianceagent baseline/],
    ['an entry without fingerprint', '{"version":1,"findings":[{"path":"a"}]}', /findings\[0\] has no fingerprint/],
  ])('rejects %s', (_, text, message) => {
    expect(() => parseBaseline(text, 'base.json')).toThrow(message);
  });

  it('leaves out known findings, keeps new and suppressed ones, and counts stale entries', () => {
    const baseline = parseBaseline(formatBaseline([finding('a.js', 'ca1:1'), finding('a.js', 'ca1:2'), finding('gone.js', 'ca1:3')]), 'b');
    const outcome = applyBaseline([finding('a.js', 'ca1:1'), finding('a.js', 'ca1:4'), finding('a.js', 'ca1:2', true)], baseline);
    expect(outcome.findings.map((f) => f.fingerprint)).toEqual(['ca1:4', 'ca1:2']);
    expect({ matched: outcome.matched, stale: outcome.stale }).toEqual({ matched: 1, stale: 2 });
  });
});
