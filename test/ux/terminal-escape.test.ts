import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../src/report/terminal-text.js';
import { runCli } from '../helpers/cli.js';

const ESC = '\u001b';
/** Any C0/C1 control character other than the newline that ends a line, or a bidi override. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A repository whose file names (and one file's content) try to drive the terminal and forge report lines. */
function hostileRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-escape-'));
  const red = `${ESC}[31mred${ESC}[0m`;
  // A finding in a file whose name holds an escape sequence and a newline that forges a fake report line.
  writeFileSync(join(dir, `${red}.js`), "const stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';\n");
  writeFileSync(join(dir, 'evil\nNo issues detected by automated checks.js'), "const token = 'ghp_kxwnQrS7RPeMOkIUpkDyr7OSJoRu1XXdo0cZ';\n");
  // A parse error (scan error line) and a binary file (skip line) with control characters in their names.
  writeFileSync(join(dir, `broken${ESC}]0;pwned\u0007.js`), 'function (\n');
  writeFileSync(join(dir, `logo\u202e.js`), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d]));
  // A code line (snippet) with an escape sequence in it.
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'db.js'), `const password = 'Xk9${ESC}[2J${ESC}[Hq2mLp';\n`);
  return dir;
}

describe('terminal output escapes control characters from the scanned repository', () => {
  it('escapes file names, code and messages in the full and the compact terminal output', async () => {
    const dir = hostileRepo();
    for (const extra of [[], ['--compact'], ['--group-by', 'rule']]) {
      const r = await runCli(['scan', dir, '--no-cache', '--fail-on', 'none', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(CONTROL);
      expect(r.stdout).toContain('\\x1b[31mred\\x1b[0m.js');
      expect(r.stdout).toContain('evil\\nNo issues detected by automated checks.js');
      // The forged line never starts a line of its own.
      expect(r.stdout.split('\n').filter((l) => l.startsWith('No issues detected'))).toEqual([]);
      expect(r.stdout).toContain('broken\\x1b]0;pwned\\x07.js');
    }
    const full = await runCli(['scan', dir, '--no-cache', '--fail-on', 'none']);
    expect(full.stdout).toContain('logo\\u202e.js');
    // Colour is still drawn, by the reporter only: the file name's own ESC is shown as text.
    const coloured = await runCli(['scan', dir, '--no-cache', '--fail-on', 'none'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(new RegExp(`${ESC}\\[`));
    expect(coloured.stdout).toContain('\\x1b[31mred');
    expect(coloured.stdout).not.toContain(`${ESC}[31mred`);
    expect(coloured.stdout).not.toContain(`${ESC}]0;pwned`);
  });

  it('escapes a path in a usage error on stderr', async () => {
    const r = await runCli(['scan', `/nonexistent/${ESC}[31mx\nhint: forged`]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stderr).toContain('\\x1b[31mx\\nhint: forged');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('hint:'))).toHaveLength(1);
  });

  it('escapes C0, C1, DEL, separators and bidi controls, and keeps tabs only when asked', () => {
    expect(escapeForTerminal(`a${ESC}[0m\r\n\u0000\u007f\u009b\u2028\u202e\u2066b`)).toBe('a\\x1b[0m\\r\\n\\x00\\x7f\\x9b\\u2028\\u202e\\u2066b');
    expect(escapeForTerminal('a\tb')).toBe('a\\tb');
    expect(escapeForTerminal('a\tb', { keepTabs: true })).toBe('a\tb');
    expect(escapeForTerminal('plain ünïcödé — text')).toBe('plain ünïcödé — text');
  });
});
