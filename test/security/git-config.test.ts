import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, rmSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { changedLinesSince } from '../../src/engine/changed-lines.js';
import { readGitInfo, readGitLog } from '../../src/evidence/git.js';
import { filterOverrides, Git, GitError, gitEnvironment, runGit } from '../../src/util/git.js';
import { runCli } from '../helpers/cli.js';

/**
 * An untrusted repository whose `.git/config`, `.gitattributes` and hooks try to make git run commands: every
 * command touches a marker file. Our code paths that call git (scan --changed-since, report generate, evidence
 * export, readGitInfo, readGitLog, changedLinesSince) must never leave a marker; plain git on the same
 * repository must (so the traps are live and the test can fail).
 */

const SAFE_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Eve',
  GIT_AUTHOR_EMAIL: 'eve@example.com',
  GIT_COMMITTER_NAME: 'Eve',
  GIT_COMMITTER_EMAIL: 'eve@example.com',
};

function setupGit(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...SAFE_ENV, GIT_AUTHOR_DATE: '2024-05-01T10:00:00Z', GIT_COMMITTER_DATE: '2024-05-01T10:00:00Z' },
    ...(input !== undefined ? { input } : {}),
  });
}

const HOOKS = ['post-index-change', 'pre-commit', 'post-checkout', 'post-merge', 'reference-transaction', 'pre-auto-gc', 'post-rewrite', 'fsmonitor-watchman'];

let markers: string;
let traps: string;
let repo: string;

/**
 * The path of an executable that records that `what` ran (a marker file) and copies stdin to stdout, so that
 * filters keep working. A path works both where git runs a value through the shell and where it executes it.
 */
function trap(what: string): string {
  const path = join(traps, what);
  writeFileSync(path, `#!/bin/sh\ntouch '${join(markers, what)}'\nexec cat\n`);
  chmodSync(path, 0o755);
  return path;
}

function arm(dir: string): void {
  const set = (key: string, value: string) => setupGit(dir, ['config', key, value]);
  set('core.fsmonitor', trap('fsmonitor'));
  set('filter.evil.clean', trap('filter-clean'));
  set('filter.evil.smudge', trap('filter-smudge'));
  set('filter.evil.required', 'true');
  set('filter.evilproc.process', trap('filter-process'));
  set('diff.evil.textconv', trap('textconv'));
  set('diff.evil.command', trap('diff-driver-command'));
  set('diff.external', trap('diff-external'));
  set('core.pager', trap('pager'));
  set('pager.log', trap('pager-log'));
  set('pager.diff', trap('pager-diff'));
  set('pager.status', trap('pager-status'));
  set('log.showSignature', 'true');
  set('gpg.program', trap('gpg'));
  set('core.sshCommand', trap('ssh'));
  set('credential.helper', `!${trap('credential')}`);
  set('core.askPass', trap('askpass'));
  set('status.submoduleSummary', 'true');
  for (const hook of HOOKS) {
    const path = join(dir, '.git', 'hooks', hook);
    writeFileSync(path, `#!/bin/sh\n${trap(`hook-${hook}`)} </dev/null >/dev/null\n`);
    chmodSync(path, 0o755);
  }
}

beforeAll(() => {
  markers = mkdtempSync(join(tmpdir(), 'ca-markers-'));
  traps = mkdtempSync(join(tmpdir(), 'ca-traps-'));
  repo = mkdtempSync(join(tmpdir(), 'ca-hostile-'));
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'src', 'app.js'), "const express = require('express');\nconst app = express();\n");
  writeFileSync(join(repo, 'src', 'job.py'), 'def run():\n    return 1\n');
  writeFileSync(join(repo, 'src', 'same.js'), 'module.exports = 1;\n');
  writeFileSync(join(repo, '.gitattributes'), '*.js filter=evil diff=evil\n*.py filter=evilproc diff=evil\n');
  setupGit(repo, ['init', '-q', '-b', 'main']);
  setupGit(repo, ['add', '-A']);
  setupGit(repo, ['commit', '-q', '-m', 'first']);
  // A second commit carrying a (fake) signature, so `log --show-signature` would call gpg.program.
  writeFileSync(join(repo, 'src', 'app.js'), "const express = require('express');\nconst app = express();\napp.listen(3000);\n");
  setupGit(repo, ['commit', '-q', '-am', 'listen']);
  const raw = setupGit(repo, ['cat-file', 'commit', 'HEAD']);
  const signed = raw.replace(/^(committer .*\n)/m, '$1gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n');
  const hash = setupGit(repo, ['hash-object', '-t', 'commit', '-w', '--stdin'], signed).trim();
  setupGit(repo, ['update-ref', 'refs/heads/main', hash]);
  arm(repo);
  // Work-tree changes git must look at: a modified file (diff content), a touched one (status must hash it).
  writeFileSync(join(repo, 'src', 'app.js'), "const express = require('express');\nconst app = express();\napp.listen(8080);\n");
  writeFileSync(join(repo, 'src', 'job.py'), 'def run():\n    return 2\n');
  utimesSync(join(repo, 'src', 'same.js'), new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
}, 60_000);

function fired(): string[] {
  return readdirSync(markers).sort();
}

describe('a hostile repository configuration never runs', () => {
  it('scan --changed-since', async () => {
    const r = await runCli(['scan', repo, '--no-cache', '-f', 'json', '--fail-on', 'none', '--changed-since', 'HEAD~1']);
    expect(r.stderr).not.toMatch(/internal error/i);
    expect(r.code).toBe(0);
    expect(fired()).toEqual([]);
  });

  it('changedLinesSince still sees the changes (filters and textconv off, not the diff)', async () => {
    const changed = await changedLinesSince(repo, 'HEAD~1');
    expect([...changed.lines.keys()].sort()).toEqual(['src/app.js', 'src/job.py']);
    expect([...(changed.lines.get('src/app.js') as Set<number>)]).toEqual([3]);
    expect(fired()).toEqual([]);
  });

  it('readGitInfo and readGitLog', async () => {
    const info = await readGitInfo(repo);
    expect(info).toMatchObject({ dirty: true, branch: 'main' });
    const log = await readGitLog(repo, '2024-01-01T00:00:00Z', '2024-12-31T23:59:59Z');
    expect(log.map((c) => c.subject)).toEqual(['listen', 'first']);
    expect(fired()).toEqual([]);
  });

  it('report generate', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ca-hostile-report-'));
    const r = await runCli(['report', 'generate', repo, '--no-cache', '-o', join(out, 'r.pdf')]);
    expect(r.code).toBe(0);
    expect(fired()).toEqual([]);
  });

  it('evidence export', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ca-hostile-export-'));
    const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', join(out, 'ev')]);
    expect(r.stderr).toContain('Verify with');
    expect(r.code).toBe(0);
    const log = JSON.parse(readFileSync(join(out, 'ev', 'change-log.json'), 'utf8')) as { commits: Array<{ subject: string }> };
    expect(log.commits.map((c) => c.subject)).toEqual(['listen', 'first']);
    expect(fired()).toEqual([]);
  });

  it('an embedded bare repository (a folder of the scanned tree that is a git directory) is not used', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'ca-embedded-'));
    const bare = join(outer, 'vendor.git');
    setupGit(outer, ['init', '-q', '--bare', bare]);
    mkdirSync(join(outer, 'wt'));
    setupGit(bare, ['config', 'core.bare', 'false']);
    setupGit(bare, ['config', 'core.worktree', join(outer, 'wt')]);
    setupGit(bare, ['config', 'core.fsmonitor', trap('bare-fsmonitor')]);
    expect(await readGitInfo(bare)).toBeUndefined();
    expect(fired()).toEqual([]);
  });

  // Last: plain git on a copy of the repository runs the traps, so every assertion above could have failed.
  it('the traps are live: plain git runs them', () => {
    const copy = mkdtempSync(join(tmpdir(), 'ca-hostile-copy-'));
    cpSync(repo, copy, { recursive: true });
    const plain = (args: string[]) => spawnSync('git', args, { cwd: copy, env: SAFE_ENV, encoding: 'utf8' });
    plain(['status', '--porcelain']);
    plain(['diff', 'HEAD~1', '--', 'src/app.js']);
    plain(['diff', '--no-ext-diff', 'HEAD~1', '--', 'src/app.js']);
    plain(['diff', '--no-ext-diff', '--no-textconv', 'HEAD~1', '--', 'src/job.py']);
    plain(['log', '-1']);
    expect(fired()).toEqual([
      'diff-driver-command',
      'filter-clean',
      'filter-process',
      'filter-smudge',
      'fsmonitor',
      'gpg',
      'hook-post-index-change',
      'textconv',
    ]);
    for (const marker of fired()) rmSync(join(markers, marker));
  });
});

describe('the git runner', () => {
  it('refuses subcommands outside its read-only list', async () => {
    for (const sub of ['fetch', 'clone', 'checkout', 'submodule', 'gc', '-c', 'daemon']) {
      await expect(runGit(repo, [sub])).rejects.toThrow(/is not one of the subcommands this tool may run/);
    }
  });

  it('ignores GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE left in the environment (by a hook, say)', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ca-other-'));
    setupGit(other, ['init', '-q', '-b', 'other']);
    writeFileSync(join(other, 'x'), 'x\n');
    setupGit(other, ['add', 'x']);
    setupGit(other, ['commit', '-q', '-m', 'other repository']);
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        GIT_DIR: join(other, '.git'),
        GIT_WORK_TREE: other,
        GIT_INDEX_FILE: join(other, '.git', 'index'),
        GIT_EXTERNAL_DIFF: trap('env-external-diff'),
      });
      expect(gitEnvironment()).not.toHaveProperty('GIT_DIR');
      const log = await readGitLog(repo, '2024-01-01T00:00:00Z', '2024-12-31T23:59:59Z');
      expect(log.map((c) => c.subject)).toEqual(['listen', 'first']);
      expect((await readGitInfo(repo))?.branch).toBe('main');
    } finally {
      for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_EXTERNAL_DIFF']) if (!(key in saved)) delete process.env[key];
    }
    expect(fired()).toEqual([]);
  });

  it('switches off every filter driver the configuration names, and refuses a name -c cannot carry', () => {
    expect(filterOverrides(['core.bare', 'filter.lfs.clean', 'filter.a.b.process', 'diff.x.textconv'])).toEqual([
      ['filter.a.b.clean', ''],
      ['filter.a.b.smudge', ''],
      ['filter.a.b.process', ''],
      ['filter.a.b.required', 'false'],
      ['filter.lfs.clean', ''],
      ['filter.lfs.smudge', ''],
      ['filter.lfs.process', ''],
      ['filter.lfs.required', 'false'],
    ]);
    expect(() => filterOverrides(['filter.a=b.clean'])).toThrow(GitError);
  });

  it('maps authors through the work tree .mailmap only, never through a file or blob the configuration names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-mailmap-'));
    setupGit(dir, ['init', '-q', '-b', 'main']);
    writeFileSync(join(dir, 'x'), 'x\n');
    setupGit(dir, ['add', 'x']);
    setupGit(dir, ['commit', '-q', '-m', 'one']);
    const outside = join(mkdtempSync(join(tmpdir(), 'ca-outside-')), 'private.txt');
    writeFileSync(outside, 'Leaked Secret Line <eve@example.com>\n');
    setupGit(dir, ['config', 'mailmap.file', outside]);
    // Plain git reads the file the configuration names: the trap is live.
    expect(setupGit(dir, ['log', '-1', '--format=%aN'])).toBe('Leaked Secret Line\n');
    expect((await readGitLog(dir, '2024-01-01T00:00:00Z', '2024-12-31T23:59:59Z')).map((c) => c.author)).toEqual(['Eve']);
    writeFileSync(join(dir, '.mailmap'), 'Eve Example <eve@example.com>\n');
    expect((await readGitLog(dir, '2024-01-01T00:00:00Z', '2024-12-31T23:59:59Z')).map((c) => c.author)).toEqual(['Eve Example']);
  });

  it('refuses to run in a repository whose filter driver name contains "="', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-eqfilter-'));
    setupGit(dir, ['init', '-q']);
    setupGit(dir, ['config', 'filter.a=b.clean', trap('eq-filter')]);
    await expect(new Git(dir).run(['status', '--porcelain'])).rejects.toThrow(/cannot be switched off safely/);
  });

  it('kills a git call that runs past its time limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-slow-'));
    setupGit(dir, ['init', '-q']);
    // A FIFO as the repository's exclude file: git blocks reading it.
    execFileSync('mkfifo', [join(dir, '.git', 'info', 'exclude-fifo')]);
    setupGit(dir, ['config', 'core.excludesFile', join(dir, '.git', 'info', 'exclude-fifo')]);
    const started = Date.now();
    const error = await runGit(dir, ['ls-files', '--others', '--exclude-standard'], { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).code).toBe('TIMEOUT');
  });
});
