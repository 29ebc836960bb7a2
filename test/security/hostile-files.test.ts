import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { scan } from '../../src/engine/scan.js';
import { syntheticToken } from '../../src/model/secrets.js';
import { runCli } from '../helpers/cli.js';

/** Issue 12, item 7: files a hostile (or merely Windows-made) repository holds that used to go unscanned silently. */

const GITHUB = syntheticToken('ghp_', 36, undefined, 21);
const AWS_SECRET = syntheticToken('', 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 5);

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-hostile-'));
  temps.push(dir);
  writeFileSync(join(dir, '.git'), 'gitdir: /nowhere\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** With a byte order mark, as Notepad and PowerShell write it. */
function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return order === 'le' ? le : Buffer.from(le).swap16();
}

const where = (result: Awaited<ReturnType<typeof scan>>) => result.findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.startLine}`);

describe('UTF-16 source files', () => {
  it('decodes UTF-16LE and UTF-16BE files with a BOM and reports their secrets on the right line', async () => {
    const env = `# settings\r\nREGION=eu-west-1\r\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}\r\n`;
    const js = `// client\nimport x from 'y';\n\nconst token = '${GITHUB}';\n`;
    const dir = project({ 'le/.env': utf16(env, 'le'), 'be/.env': utf16(env, 'be'), 'le/client.js': utf16(js, 'le'), 'be/client.js': utf16(js, 'be') });
    const result = await scan(dir, { rules: RULES });
    expect(result.errors).toEqual([]);
    expect(result.coverage.skipped).toEqual([]);
    expect(where(result)).toEqual(['SOC2-002 be/.env:3', 'SOC2-002 be/client.js:4', 'SOC2-002 le/.env:3', 'SOC2-002 le/client.js:4']);
    // Snippets come from the decoded text: masked, and free of the BOM and of NUL bytes.
    for (const finding of result.findings) {
      expect(finding.snippet).not.toContain(GITHUB);
      expect(finding.snippet).not.toContain(AWS_SECRET);
      expect(finding.snippet).not.toMatch(/[\u0000\ufeff]/);
    }
  });

  it('reports a UTF-16 file that is not valid UTF-16 as a read error, not as binary', async () => {
    // An odd number of bytes after the BOM; the first 8 KB decode cleanly, so discovery keeps the file.
    const dir = project({ 'odd.env': Buffer.concat([utf16('A=1\n'.repeat(3000), 'le'), Buffer.from([0x41])]) });
    const result = await scan(dir, { rules: RULES });
    expect(result.errors.map((e) => `${e.path} ${e.kind}: ${e.message}`)).toEqual([
      'odd.env read: not valid UTF-16 text; convert it to UTF-8 to have it scanned',
    ]);
  });
});

describe.skipIf(process.platform === 'win32')('FIFOs', () => {
  it('are reported as skipped, never opened: the scan does not hang', async () => {
    const dir = project({ 'app.js': `const token = '${GITHUB}';\n` });
    execFileSync('mkfifo', [join(dir, 'config.py')]);
    execFileSync('mkfifo', [join(dir, '.env')]);
    const result = await scan(dir, { rules: RULES });
    expect(where(result)).toEqual(['SOC2-002 app.js:1']);
    expect(result.errors).toEqual([]);
    expect(result.coverage.skipped).toEqual([
      { path: '.env', reason: 'unsupported', detail: 'not a regular file (FIFO); never opened' },
      { path: 'config.py', reason: 'unsupported', detail: 'not a regular file (FIFO); never opened' },
    ]);
  }, 10_000);

  it('named as the scan root, is refused without being opened', async () => {
    const dir = project({});
    execFileSync('mkfifo', [join(dir, 'pipe.py')]);
    await expect(scan(join(dir, 'pipe.py'), { rules: RULES })).rejects.toThrow(/not a file or directory/);
  }, 10_000);
});

describe('include patterns outside the root', () => {
  it.each([['../other/**'], ['/definitely-not-in-the-repo-or-fs/**']])('%s', async (pattern) => {
    const dir = project({ 'src/app.js': `const token = '${GITHUB}';\n` });
    const run = await runCli(['scan', dir, '--include', pattern, '--no-cache', '-f', 'json']);
    if (pattern.startsWith('..')) {
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr).toContain(`complianceagent: include pattern '${pattern}' points outside the repository ('..') and can never match`);
    } else {
      // A leading slash is a gitignore anchor to the repository root; a name that is nowhere is not an error here.
      expect(run.code).not.toBe(2);
    }
  });

  it('an absolute path outside the repository is a usage error', async () => {
    const dir = project({ 'src/app.js': 'x' });
    const other = project({ 'lib/a.js': 'x' });
    const run = await runCli(['scan', dir, '--include', `${other}/**`, '--no-cache']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is an absolute path outside the repository and can never match');
  });
});

describe('minified JavaScript', () => {
  it('a file with one long line up front is scanned; a real bundle is still skipped', async () => {
    const packed = 'var a=1;'.repeat(700);
    const dir = project({
      'src/hidden.js': `/* ${'x'.repeat(3000)} */ var pad = 1;\n\nconst token = '${GITHUB}';\n`,
      'src/padded.js': `const pad = '${'p'.repeat(1200)}';\nconst token = '${GITHUB}';\n`,
      'public/vendor.js': `/*! vendor v1 | MIT */\n${packed}\n//# sourceMappingURL=vendor.js.map\n`,
    });
    const result = await scan(dir, { rules: RULES });
    expect(where(result)).toEqual(['SOC2-002 src/hidden.js:3', 'SOC2-002 src/padded.js:2']);
    expect(result.coverage.skipped).toEqual([{ path: 'public/vendor.js', reason: 'excluded', detail: 'default: minified' }]);
  });
});
