import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { didYouMean, editDistance } from '../../src/config/suggest.js';
import { runCli } from '../helpers/cli.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ca-config-'));
}

/** A folder with one clean file and `.complianceagent.yml` holding `text`. */
function repoWithConfig(text: string | Buffer): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.js'), 'module.exports = 1;\n');
  writeFileSync(join(dir, '.complianceagent.yml'), text);
  return dir;
}

function usageError(text: string): UsageError {
  try {
    parseConfig(text, '.complianceagent.yml');
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('did you mean', () => {
  it('counts a transposition as one edit and suggests within two edits only', () => {
    expect(editDistance('exlcude', 'exclude')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('exlcude', ['include', 'exclude'])).toBe('exclude');
    expect(didYouMean('failon', ['failOn', 'include'])).toBe('failOn');
    expect(didYouMean('soc2-002', ['SOC2-001', 'SOC2-002'])).toBe('SOC2-002');
    expect(didYouMean('colour', ['enabled', 'severity', 'options'])).toBeUndefined();
    expect(didYouMean('x', ['on', 'off'])).toBeUndefined();
  });
});

describe('configuration mistakes', () => {
  it('reports every mistake in the file, each with its line, and "did you mean" for keys, rule ids and values', () => {
    const e = usageError(
      [
        'failOn: hihg', // 1
        "exlcude: ['legacy/**']", // 2
        'include: src/**', // 3
        'maxFileSize: 2MB', // 4
        'rules:', // 5
        '  soc2-002: off', // 6
        '  SOC2-006: offf', // 7
        '  SOC2-005:', // 8
        '    severty: low', // 9
        '    colour: red', // 10
        'respectGitignore: yes', // 11
      ].join('\n'),
    );
    expect(e.hint).toMatch(/Configuration section of the README/);
    expect(e.headline).toBe('.complianceagent.yml: 9 problems');
    expect(e.details).toEqual([
      ".complianceagent.yml:1: 'failOn' must be one of critical, high, medium, low, none (did you mean 'high'?)",
      ".complianceagent.yml:2: unknown key 'exlcude' (did you mean 'exclude'?)",
      ".complianceagent.yml:3: 'include' must be a list of globs, e.g. include: ['src/**']",
      ".complianceagent.yml:4: 'maxFileSize' must be a whole number of bytes of at least 1, e.g. 2000000",
      ".complianceagent.yml:6: unknown rule id 'soc2-002' at 'rules' (did you mean 'SOC2-002'?)",
      ".complianceagent.yml:7: 'rules.SOC2-006' must be off, on, true, false or a mapping with enabled, severity, options (did you mean 'off'?)",
      ".complianceagent.yml:9: unknown key 'severty' at 'rules.SOC2-005' (did you mean 'severity'?)",
      ".complianceagent.yml:10: unknown key 'colour' at 'rules.SOC2-005'",
      ".complianceagent.yml:11: 'respectGitignore' must be true or false",
    ]);
  });

  it('reports every YAML syntax error, by line, and one mistake as one line', () => {
    const e = usageError('failOn: high\n  bad: [\nexclude: "unterminated\n');
    expect(e.headline).toMatch(/^\.complianceagent\.yml: \d+ problems$/);
    expect(e.details.length).toBeGreaterThan(1);
    for (const d of e.details) expect(d).toMatch(/^\.complianceagent\.yml:\d+: invalid YAML: /);
    const one = usageError('failOn: high\nexclude: legacy\n');
    expect(one.details).toEqual([]);
    expect(one.message).toBe(".complianceagent.yml:2: 'exclude' must be a list of globs, e.g. exclude: ['**/legacy/**']");
  });

  it('prints every problem through the CLI, each on its own line, exit 2', async () => {
    const dir = repoWithConfig('failOn: hihg\nrules:\n  SOC2-006: offf\n');
    const r = await runCli(['scan', dir, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'complianceagent: .complianceagent.yml: 2 problems',
        "  .complianceagent.yml:1: 'failOn' must be one of critical, high, medium, low, none (did you mean 'high'?)",
        "  .complianceagent.yml:3: 'rules.SOC2-006' must be off, on, true, false or a mapping with enabled, severity, options (did you mean 'off'?)",
        'hint: see the Configuration section of the README',
        '',
      ].join('\n'),
    );
  });

  it('accepts failOnTestFindings and still reads a valid file as before', () => {
    const config = parseConfig(
      'failOn: medium\nfailOnTestFindings: true\nexclude: [legacy/**]\nrules:\n  SOC2-006: off\n  SOC2-002:\n    severity: high\n',
      'x.yml',
    );
    expect(config).toMatchObject({
      failOn: 'medium',
      failOnTestFindings: true,
      exclude: ['legacy/**'],
      disabledRules: ['SOC2-006'],
      settings: { 'SOC2-002': { severity: 'high' } },
    });
    expect(parseConfig('', 'x.yml')).toMatchObject({ disabledRules: [], settings: {} });
  });
});

describe('hostile configuration files', () => {
  it('refuses a YAML alias bomb as a usage error, without expanding it or printing a stack trace', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const dir = repoWithConfig(`${levels.join('\n')}\n`);
    const started = Date.now();
    const r = await runCli(['scan', dir, '--no-cache']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^complianceagent: \.complianceagent\.yml: invalid YAML: too many aliases .*alias bomb/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('never echoes the content of a file given with -c that is not a configuration', async () => {
    const dir = tempDir();
    const hash = randomBytes(24).toString('base64url');
    const shadow = join(dir, 'shadow');
    writeFileSync(shadow, `root:$6$${hash}:19000:0:99999:7:::\nsvc${hash.slice(0, 6)}:*:19000:0:99999:7:::\n`);
    const yamlish = join(dir, 'creds.yml');
    writeFileSync(yamlish, `aws_secret_access_key: ${hash}\nuser${hash.slice(0, 5)}: x\n`);
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, `token: "${hash}\n  - [${hash}\n`);
    const listed = join(dir, 'list.yml');
    writeFileSync(listed, `- ${hash}\n`);
    for (const file of [shadow, yamlish, broken, listed]) {
      const r = await runCli(['scan', dir, '--no-cache', '-c', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('complianceagent: ');
      expect(r.stderr).not.toContain(hash.slice(0, 5));
      expect(r.stderr).not.toContain('root');
    }
  });

  it('names an unknown key of a real configuration but never its value', async () => {
    const secret = randomBytes(12).toString('hex');
    const r = await runCli(['scan', repoWithConfig(`failOn: high\npassword: ${secret}\nfailOn2: "${secret}"\n`), '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown key 'password'");
    expect(r.stderr).toContain("unknown key 'failOn2' (did you mean 'failOn'?)");
    expect(r.stderr).not.toContain(secret);
  });

  it('does not hang on a FIFO named .complianceagent.yml, and refuses a device or an oversized file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'index.js'), 'module.exports = 1;\n');
    execFileSync('mkfifo', [join(dir, '.complianceagent.yml')]);
    const r = await runCli(['scan', dir, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a regular file');
    const device = await runCli(['scan', repoWithConfig('failOn: high\n'), '--no-cache', '-c', '/dev/zero']);
    expect(device.code).toBe(2);
    expect(device.stderr).toContain('is not a regular file');
    const big = await runCli(['scan', repoWithConfig(`# ${'x'.repeat(MAX_CONFIG_BYTES)}\nfailOn: high\n`), '--no-cache']);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain(`larger than ${MAX_CONFIG_BYTES} bytes`);
  });
});

describe('rules explain', () => {
  it('suggests the rule id that was meant', async () => {
    const r = await runCli(['rules', 'explain', 'SOC2-02']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown rule 'SOC2-02' (did you mean 'SOC2-002'?)");
  });
});
