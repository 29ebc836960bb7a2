import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGitLog, logSeparators } from '../../src/evidence/git.js';
import { redactSecretsInText, redactValue } from '../../src/evidence/redact.js';
import { runCli } from '../helpers/cli.js';
import { gitAt } from './fixture-repo.js';

/** evidence export on a repository whose commits and configuration carry secrets, run from elsewhere, into odd folders. */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomToken(prefix: string, length: number): string {
  let s = prefix;
  for (let i = 0; i < length; i++) s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return s;
}

const GH = randomToken('ghp_', 36);
const STRIPE = randomToken('sk_live_', 24);
const SUBJECT_PASSWORD = `Subj-${randomToken('', 12)}`;
const COMMENT_PASSWORD = `Cmt-${randomToken('', 12)}`;
const VALUE_SECRET = `Val-${randomToken('', 12)}`;
const BLOCK_SECRET = `Blk-${randomToken('', 12)}`;
const CWD_SECRET = `Cwd-${randomToken('', 12)}`;
const SECRETS = [GH, STRIPE, SUBJECT_PASSWORD, COMMENT_PASSWORD, VALUE_SECRET, BLOCK_SECRET, CWD_SECRET];

const CONFIG = `# complianceagent settings
# the staging db password: ${COMMENT_PASSWORD}
# old token ${GH} (revoked)
failOn: high
rules:
  SOC2-002:
    options:
      allowedPasswordNames: ["example"]
      apiToken: "${VALUE_SECRET}" # stripe key = ${STRIPE}
      signingSecret: |
        ${BLOCK_SECRET}
`;

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'ca-evhostile-'));
  mkdirSync(join(repo, 'src'));
  writeFileSync(
    join(repo, 'src', 'app.js'),
    "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\n",
  );
  writeFileSync(join(repo, '.complianceagent.yml'), CONFIG);
  gitAt(repo, '2024-02-01T10:00:00Z', ['init', '-q', '-b', 'main']);
  gitAt(repo, '2024-02-01T10:00:00Z', ['add', '-A']);
  gitAt(repo, '2024-02-01T10:00:00Z', ['commit', '-q', '-m', `Rotate the deploy token ${GH}`]);
  writeFileSync(join(repo, 'src', 'db.js'), 'module.exports = {};\n');
  gitAt(repo, '2024-02-02T10:00:00Z', ['add', '-A']);
  gitAt(repo, '2024-02-02T10:00:00Z', ['commit', '-q', '-m', `set DB_PASSWORD=${SUBJECT_PASSWORD} and stripe ${STRIPE}`]);
}, 60_000);

function exportedText(dir: string): string {
  let text = '';
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else text += readFileSync(join(d, e.name), 'latin1');
    }
  };
  walk(dir);
  return text;
}

describe('evidence export with secrets in commits and configuration', () => {
  let out: string;
  let r: { code: number; stderr: string };
  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'ca-evhostile-out-')), 'ev');
    r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', out]);
  }, 60_000);

  it('masks tokens and passwords in commit subjects (change-log.json and .csv)', () => {
    expect(r.stderr).toContain('Verify with');
    expect(r.code).toBe(0);
    const log = JSON.parse(readFileSync(join(out, 'change-log.json'), 'utf8')) as { commits: Array<{ subject: string }> };
    expect(log.commits.map((c) => c.subject)).toEqual(['set DB_PASSWORD=********', 'Rotate the deploy token ghp_********']);
    const csv = readFileSync(join(out, 'change-log.csv'), 'utf8');
    expect(csv).toContain('Rotate the deploy token ghp_********');
  });

  it('exports the configuration file with every secret masked, in values and in comments', () => {
    const exported = readFileSync(join(out, 'configuration', '.complianceagent.yml'), 'utf8');
    expect(exported).toBe(`# complianceagent settings
# the staging db password: ********
# old token ghp_******** (revoked)
failOn: high
rules:
  SOC2-002:
    options:
      allowedPasswordNames: ["example"]
      apiToken: "********" # stripe key = sk_live_********
      signingSecret: |
        ********
`);
    const config = JSON.parse(readFileSync(join(out, 'configuration.json'), 'utf8'));
    expect(config.configurationFile).toBe('.complianceagent.yml');
    expect(config.configuration.rules['SOC2-002'].options).toEqual({ allowedPasswordNames: ['example'], apiToken: '********', signingSecret: '********' });
  });

  it('writes no secret value into any exported file', () => {
    const text = exportedText(out);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});

describe('evidence export run from another folder', () => {
  it('reads .complianceagent.yml of the scanned repository, not of the working directory', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'ca-elsewhere-'));
    writeFileSync(join(elsewhere, '.complianceagent.yml'), `# unrelated project\ndb_password: ${CWD_SECRET}\n`);
    const saved = process.cwd();
    const outs: string[] = [];
    try {
      // Both the process and the CLI's notion of the working directory are elsewhere: no file may be read from there.
      for (const cwd of [elsewhere, mkdtempSync(join(tmpdir(), 'ca-empty-cwd-'))]) {
        process.chdir(cwd);
        const out = join(mkdtempSync(join(tmpdir(), 'ca-elsewhere-out-')), 'ev');
        const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', out], { cwd });
        expect(r.stderr).not.toMatch(/internal error/i);
        expect(r.code).toBe(0);
        outs.push(out);
      }
    } finally {
      process.chdir(saved);
    }
    for (const out of outs) {
      expect(readFileSync(join(out, 'configuration', '.complianceagent.yml'), 'utf8')).toContain('# complianceagent settings');
      expect(exportedText(out)).not.toContain(CWD_SECRET);
    }
  }, 60_000);

  it('records a -c file outside the repository by its file name only, masked', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'ca-cfile-'));
    writeFileSync(join(elsewhere, 'audit.yml'), `failOn: medium\n# admin password: ${CWD_SECRET}\n`);
    const out = join(mkdtempSync(join(tmpdir(), 'ca-cfile-out-')), 'ev');
    const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', out, '-c', join(elsewhere, 'audit.yml')], {
      cwd: elsewhere,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'configuration.json'), 'utf8')).configurationFile).toBe('audit.yml');
    expect(readFileSync(join(out, 'configuration', 'audit.yml'), 'utf8')).toBe('failOn: medium\n# admin password: ********\n');
    expect(exportedText(out)).not.toContain(elsewhere);
  }, 60_000);
});

describe('evidence export output folder', () => {
  // A repository without a configuration file: these tests are about the output folder alone.
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'ca-outrepo-'));
    writeFileSync(join(repo, 'app.js'), 'module.exports = 1;\n');
    gitAt(repo, '2024-02-01T10:00:00Z', ['init', '-q', '-b', 'main']);
    gitAt(repo, '2024-02-01T10:00:00Z', ['add', '-A']);
    gitAt(repo, '2024-02-01T10:00:00Z', ['commit', '-q', '-m', 'one']);
  });

  it('-o / is a usage error at once, before scanning', async () => {
    const started = Date.now();
    const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', '/']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the output folder \/ is the root of the file system/);
  }, 10_000);

  it('a large existing folder is refused at once, not walked', async () => {
    const big = mkdtempSync(join(tmpdir(), 'ca-bigout-'));
    let d = big;
    for (let i = 0; i < 40; i++) {
      d = join(d, `level${i}`);
      mkdirSync(d);
      for (let j = 0; j < 20; j++) writeFileSync(join(d, `f${j}`), '');
    }
    const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the output folder ${big} already holds other files (level0)`);
  });

  it('an existing file as the output is a usage error', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-outfile-')), 'x');
    writeFileSync(file, 'keep me\n');
    const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists and is not a folder/);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });

  it('never writes through a symbolic link named like an evidence file', async () => {
    const base = mkdtempSync(join(tmpdir(), 'ca-outlink-'));
    const victim = join(base, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    mkdirSync(join(base, 'ev'));
    symlinkSync(victim, join(base, 'ev', 'README.md'));
    const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', join(base, 'ev')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already holds other files (README.md)');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('writes again into the folder of an earlier export, and quotes an odd folder name in the verify command', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ca-again-')), "ev $(touch x); it's");
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', out]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`Verify with: (cd '${out.replace(/'/g, `'\\''`)}' && sha256sum -c MANIFEST.sha256)`);
    }
    expect(existsSync(join(out, 'README.md'))).toBe(true);
  }, 60_000);
});

describe('change log parsing', () => {
  it('a subject or name holding control characters cannot forge a commit or shift its fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-forge-'));
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    gitAt(dir, '2024-03-01T10:00:00Z', ['init', '-q', '-b', 'main']);
    gitAt(dir, '2024-03-01T10:00:00Z', ['add', '-A']);
    gitAt(dir, '2024-03-01T10:00:00Z', ['commit', '-q', '-m', 'real']);
    // A commit object written by hand: its author name and subject carry the separators of a naive log format.
    const tree = gitAt(dir, '2024-03-01T10:00:00Z', ['rev-parse', 'HEAD^{tree}']).trim();
    const parent = gitAt(dir, '2024-03-01T10:00:00Z', ['rev-parse', 'HEAD']).trim();
    const forged = `\u001e${'f'.repeat(40)}\u001f\u001fMallory\u001fm@example.com\u001f2024-06-06T00:00:00Z\u001fMallory\u001f2024-06-06T00:00:00Z\u001fforged approval`;
    const object = `tree ${tree}\nparent ${parent}\nauthor Eve\u001fx <eve@example.com> 1709287200 +0000\ncommitter Eve <eve@example.com> 1709287200 +0000\n\nsneaky${forged}\n`;
    const hash = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin', '--literally'], { cwd: dir, input: object, encoding: 'utf8' }).trim();
    gitAt(dir, '2024-03-01T10:00:00Z', ['update-ref', 'refs/heads/main', hash]);
    const out = join(mkdtempSync(join(tmpdir(), 'ca-forge-out-')), 'ev');
    const r = await runCli(['evidence', 'export', dir, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', out]);
    expect(r.code).toBe(0);
    const log = JSON.parse(readFileSync(join(out, 'change-log.json'), 'utf8')) as { commits: Array<{ hash: string; author: string; authorDate: string }> };
    expect(log.commits.map((c) => c.hash)).toEqual([hash, parent]);
    expect(log.commits[0]!.authorDate).toBe('2024-03-01T10:00:00+00:00');
    expect(log.commits.map((c) => c.author)).not.toContain('Mallory');
  });

  it('parseGitLog splits on the separators it was given', () => {
    const sep = logSeparators();
    expect(sep).not.toEqual(logSeparators());
    const out = `${sep.record}abc${sep.field}${sep.field}A\u001eB${sep.field}a@x${sep.field}2024-01-01T00:00:00Z${sep.field}C${sep.field}c@x${sep.field}2024-01-01T00:00:00Z${sep.field}s\u001fub${sep.field}body\nReviewed-by: D\n${sep.field}\n\nf.txt\n`;
    expect(parseGitLog(out, sep)).toEqual([
      {
        hash: 'abc',
        parents: [],
        author: 'A\u001eB',
        authorEmail: 'a@x',
        authorDate: '2024-01-01T00:00:00Z',
        committer: 'C',
        committerEmail: 'c@x',
        committerDate: '2024-01-01T00:00:00Z',
        subject: 's\u001fub',
        body: 'body\nReviewed-by: D',
        files: ['f.txt'],
      },
    ]);
  });
});

describe('redactSecretsInText', () => {
  it.each([
    ['password: hunter2 is the old one', 'password: ********'],
    ['# DB_PASSWORD=x y z', '# DB_PASSWORD=********'],
    ['"api_key": "abc", "user": "bob"', '"api_key": "********", "user": "bob"'],
    ['token: "multi\nline\n  value" # end', 'token: "********\n********\n********" # end'],
    ['url: https://admin:S3cret@example.org/x', 'url: https://admin:********@example.org/x'],
    ['passwordPolicy: strict', 'passwordPolicy: strict'],
    ['password:\n  minLength: 12', 'password:\n  minLength: 12'],
    ['Fix password reset', 'Fix password reset'],
    ['see https://example.org/token', 'see https://example.org/token'],
    ['secret: >-\n  folded\n  text\nnext: 1', 'secret: >-\n  ********\n  ********\nnext: 1'],
    ['key: value\r\npassword: p\r\n', 'key: value\r\npassword: ********\r\n'],
  ])('%j → %j', (input, expected) => {
    expect(redactSecretsInText(input)).toBe(expected);
  });

  it('redactValue masks scalars under secret-named keys at any depth', () => {
    expect(redactValue({ options: { clientSecret: 'abc', nested: [{ token: 12345 }], names: ['password'] } })).toEqual({
      options: { clientSecret: '********', nested: [{ token: '********' }], names: ['password'] },
    });
  });
});
