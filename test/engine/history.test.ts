/**
 * Issue 15: `scan --history` finds secrets added in any commit reachable from HEAD, removed ones too, with the
 * commit, author date and path, and masks them in every output. Every secret is generated here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { historyArgs, historyFailure, isShallowRepository, parseHistory, scanHistory } from '../../src/engine/history.js';
import { syntheticToken } from '../../src/model/secret-patterns.js';
import { runCli } from '../helpers/cli.js';
import { gitAt } from '../evidence/fixture-repo.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const GHP = syntheticToken('ghp_', 36, ALNUM, 601);
const AKIA = syntheticToken('AKIA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 602);
const DB_PW = syntheticToken('Zq', 14, ALNUM, 603);
const fragments = (s: string) => [s, s.slice(-12), s.slice(6, 18)];
const leaks = (text: string) => [GHP, AKIA, DB_PW].filter((s) => fragments(s).some((f) => text.includes(f)));

let repo: string;
let firstCommit: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'ca-history-'));
  gitAt(repo, '2024-01-10T09:00:00Z', ['init', '-q', '-b', 'main']);
  writeFileSync(join(repo, 'app.go'), `package main\n\nconst token = "${GHP}"\n`);
  writeFileSync(join(repo, 'README.md'), '# app\n');
  // Paths git is told not to diff (lockfiles, images, dependency folders): never read, so never reported.
  const skipped = syntheticToken('ghp_', 36, ALNUM, 604);
  writeFileSync(join(repo, 'poetry.lock'), `token = "${skipped}"\n`);
  writeFileSync(join(repo, 'logo.png'), `token = "${skipped}"\n`);
  mkdirSync(join(repo, 'web/node_modules/pkg'), { recursive: true });
  writeFileSync(join(repo, 'web/node_modules/pkg/index.js'), `const token = "${skipped}";\n`);
  gitAt(repo, '2024-01-10T09:00:00Z', ['add', '-A']);
  gitAt(repo, '2024-01-10T09:00:00Z', ['commit', '-q', '-m', 'Initial version']);
  firstCommit = gitAt(repo, '2024-01-10T09:00:00Z', ['rev-parse', 'HEAD']).trim();
  // Removed again: no longer in the tree, still in history.
  writeFileSync(join(repo, 'app.go'), 'package main\n\nimport "os"\n\nvar token = os.Getenv("TOKEN")\n');
  writeFileSync(join(repo, 'deploy.txt'), `aws_access_key_id = ${AKIA}\ndsn = postgres://app:${DB_PW}@db/app\n`);
  gitAt(repo, '2024-03-02T09:00:00Z', ['add', '-A']);
  gitAt(repo, '2024-03-02T09:00:00Z', ['commit', '-q', '-m', 'Read the token from the environment']);
  rmSync(join(repo, 'deploy.txt'));
  gitAt(repo, '2024-03-05T09:00:00Z', ['add', '-A']);
  gitAt(repo, '2024-03-05T09:00:00Z', ['commit', '-q', '-m', 'Remove deploy notes']);
});

describe('scanHistory', () => {
  it('finds secrets added then removed, with commit, author date, path and line', async () => {
    const found = await scanHistory(repo);
    expect(found.map((s) => `${s.path}:${s.line} ${s.patternId} ${s.authorDate.slice(0, 10)} ${s.severity}`)).toEqual([
      'app.go:3 github-token 2024-01-10 high',
      'deploy.txt:1 aws-access-key-id 2024-03-02 critical',
      'deploy.txt:2 connection-string 2024-03-02 critical',
    ]);
    expect(found[0]!.commit).toBe(firstCommit);
    expect(found[0]!.snippet).toBe('const token = "ghp_********"');
    expect(leaks(JSON.stringify(found))).toEqual([]);
  });

  it('reads only commits after --since (a ref or a date)', async () => {
    expect((await scanHistory(repo, { since: firstCommit })).map((s) => s.path)).toEqual(['deploy.txt', 'deploy.txt']);
    expect((await scanHistory(repo, { since: '2024-02-01' })).map((s) => s.path)).toEqual(['deploy.txt', 'deploy.txt']);
    expect(() => historyArgs('--output=/tmp/x')).toThrow(/neither a date nor a git ref/);
    expect(historyArgs().slice(historyArgs().indexOf('--'))).toContain(':(exclude)*.png');
  });

  it('ranks connection strings as the tree scan does: CI and local defaults low, prose examples not at all', () => {
    const block = (path: string, line: string) => [`diff --git a/${path} b/${path}`, `+++ b/${path}`, '@@ -0,0 +1 @@', `+${line}`];
    const log = [
      '\u0001commit cccc 2024-02-01T00:00:00Z',
      ...block('.github/workflows/ci.yml', `DATABASE_URL: postgres://app:${DB_PW}@postgres/app`),
      ...block('settings.py', "default='postgres://saleor:saleor@localhost:5432/saleor'"),
      ...block('docs/setup.md', `Example: postgres://app:${DB_PW}@db/app`),
      ...block('deploy.txt', `dsn = postgres://app:${DB_PW}@db/app`),
    ].join('\n');
    expect(parseHistory(log).map((s) => `${s.path} ${s.severity}`)).toEqual(['.github/workflows/ci.yml low', 'settings.py low', 'deploy.txt critical']);
  });

  it('reports a secret once per path: in the commit that first added it', () => {
    const log = [
      '\u0001commit bbbb 2024-02-01T00:00:00Z',
      'diff --git a/a.txt b/a.txt',
      '+++ b/a.txt',
      '@@ -1 +1,2 @@',
      `+again ${GHP}`,
      '\u0001commit aaaa 2024-01-01T00:00:00Z',
      'diff --git a/a.txt b/a.txt',
      '+++ b/a.txt',
      '@@ -0,0 +5 @@',
      `+key ${GHP}`,
      'diff --git a/node_modules/x/a.txt b/node_modules/x/a.txt',
      '+++ b/node_modules/x/a.txt',
      '@@ -0,0 +1 @@',
      `+key ${GHP}`,
    ].join('\n');
    expect(parseHistory(log).map((s) => `${s.commit} ${s.path}:${s.line}`)).toEqual(['bbbb a.txt:1', 'aaaa a.txt:5']);
  });
});

describe('scan --history', () => {
  it.each([['json'], ['terminal'], ['sarif']])('adds the history findings to --format %s, masked', async (format) => {
    const r = await runCli(['scan', repo, '--history', '--fail-on', 'none', '--format', format], { env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('history: 3 secrets added in commits reachable from HEAD');
    expect(r.stdout).toContain(`added in commit ${firstCommit.slice(0, 12)} (2024-01-10)`);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });

  it('warns that a shallow clone holds only part of the history', async () => {
    const shallow = join(mkdtempSync(join(tmpdir(), 'ca-history-shallow-')), 'clone');
    gitAt(repo, '2024-03-06T09:00:00Z', ['clone', '-q', '--depth', '1', `file://${repo}`, shallow]);
    expect(await isShallowRepository(shallow)).toBe(true);
    expect(await isShallowRepository(repo)).toBe(false);
    const r = await runCli(['scan', shallow, '--history', '--fail-on', 'none', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('history: this is a shallow clone');
    // The first commit, with the removed token, is not in the clone: nothing of it can be found.
    expect(r.stdout).not.toContain(firstCommit.slice(0, 12));
    const full = await runCli(['scan', repo, '--history', '--fail-on', 'none', '--format', 'json']);
    expect(full.stderr).not.toContain('shallow');
  });

  it('names a missing object as an incomplete history, never fetched', () => {
    const why = historyFailure(new Error(`fatal: unable to read ${'ab'.repeat(20)}`));
    expect(why).toContain('the git history is incomplete: object abababababab is not in the repository');
    expect(why).toContain('never fetches');
    expect(historyFailure(new Error('fatal: bad revision'))).toBe('fatal: bad revision');
  });

  it('refuses --since without --history', async () => {
    const r = await runCli(['scan', repo, '--since', '2024-01-01']);
    expect(r.code).toBe(2);
  });

  it('refuses --history outside a git checkout before scanning anything', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'ca-history-plain-'));
    try {
      writeFileSync(join(plain, 'app.py'), 'x = 1\n');
      const r = await runCli(['scan', plain, '--history', '--format', 'json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--history needs a git repository');
      expect(r.stdout).toBe('');
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
