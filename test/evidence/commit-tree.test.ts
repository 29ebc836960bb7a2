import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCommitTree, isSafeTreePath, lastCommitOfPeriod, parseLsTree, resolveCommit } from '../../src/evidence/commit-tree.js';
import { runCli } from '../helpers/cli.js';
import { gitAt } from './fixture-repo.js';

/**
 * The scan of a past commit (issue 18): its tree is read from git into a temporary folder, never checked out.
 * The repository is hostile: its .git/config names an fsmonitor, a hooks path full of hooks, filter drivers
 * (committed .gitattributes applies them to every file), an external diff, a pager and a gpg program; each of
 * them would write a marker file if git ran it. The tree holds a symbolic link to a file outside it and a
 * submodule entry. After every command, the marker does not exist and no temporary tree is left.
 */

const TOKEN = `ghp_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'}`;
let repo: string;
let marker: string;
let first: string;
let head: string;

function tempTrees(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('complianceagent-commit-'));
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'ca-attree-'));
  const evil = mkdtempSync(join(tmpdir(), 'ca-attree-evil-'));
  marker = join(evil, 'RAN');
  const script = join(evil, 'run.sh');
  writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\ncat\n`);
  chmodSync(script, 0o755);
  const hooks = join(evil, 'hooks');
  mkdirSync(hooks);
  for (const hook of ['post-checkout', 'post-index-change', 'pre-commit', 'post-commit', 'reference-transaction', 'post-merge'])
    writeFileSync(join(hooks, hook), `#!/bin/sh\necho ${hook} >> '${marker}'\n`, { mode: 0o755 });
  mkdirSync(join(repo, 'src'));
  writeFileSync(
    join(repo, 'src', 'app.js'),
    `const express = require('express');\nconst app = express();\nconst token = '${TOKEN}';\nmodule.exports = { app, token };\n`,
  );
  writeFileSync(join(repo, 'src', 'old-only.js'), 'module.exports = 1;\n');
  // export-ignore would hide app.js from `git archive`; the filter would run on a checkout.
  writeFileSync(join(repo, '.gitattributes'), '* filter=evil diff=evil\nsrc/app.js export-ignore\n');
  symlinkSync('/etc/passwd', join(repo, 'passwd-link'));
  gitAt(repo, '2023-05-01T10:00:00Z', ['init', '-q', '-b', 'main']);
  gitAt(repo, '2023-05-01T10:00:00Z', ['add', '-A']);
  gitAt(repo, '2023-05-01T10:00:00Z', ['update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/sub`]);
  gitAt(repo, '2023-05-01T10:00:00Z', ['commit', '-q', '-m', 'First version']);
  first = gitAt(repo, '2023-05-01T10:00:00Z', ['rev-parse', 'HEAD']).trim();
  writeFileSync(
    join(repo, 'src', 'app.js'),
    "const express = require('express');\nconst app = express();\nmodule.exports = { app, token: process.env.TOKEN };\n",
  );
  rmSync(join(repo, 'src', 'old-only.js'));
  gitAt(repo, '2025-02-01T10:00:00Z', ['add', '-A']);
  gitAt(repo, '2025-02-01T10:00:00Z', ['commit', '-q', '-m', 'Read the token from the environment']);
  head = gitAt(repo, '2025-02-01T10:00:00Z', ['rev-parse', 'HEAD']).trim();
  // The hostile configuration, set after the commits (the fixture's own git calls must not trip it).
  const config = [
    ['core.fsmonitor', script],
    ['core.hooksPath', hooks],
    ['filter.evil.clean', script],
    ['filter.evil.smudge', script],
    ['filter.evil.process', script],
    ['filter.evil.required', 'true'],
    ['diff.evil.textconv', script],
    ['diff.evil.command', script],
    ['diff.external', script],
    ['core.pager', script],
    ['gpg.program', script],
    ['log.showSignature', 'true'],
    ['core.sshCommand', script],
  ];
  for (const [key, value] of config) execFileSync('git', ['config', key!, value!], { cwd: repo });
}, 60_000);

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('reading a commit tree', () => {
  it('parses ls-tree records and refuses unsafe paths', () => {
    expect(parseLsTree(`100644 blob ${'a'.repeat(40)}      12\tsrc/a b.js\u0000120000 blob ${'b'.repeat(40)}       3\tlink\u0000`)).toEqual([
      { mode: '100644', type: 'blob', id: 'a'.repeat(40), size: 12, path: 'src/a b.js' },
      { mode: '120000', type: 'blob', id: 'b'.repeat(40), size: 3, path: 'link' },
    ]);
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', '.git/config', 'a/.GIT/hooks/x', 'a//b', './a', 'C:/x', 'a\\..\\b', ''])
      expect(isSafeTreePath(bad), bad).toBe(false);
    for (const good of ['a', 'src/.github/x.yml', '.gitignore', 'a..b/c']) expect(isSafeTreePath(good), good).toBe(true);
  });

  it('finds the last commit of a period and resolves refs, refusing option-like ones', async () => {
    expect(await lastCommitOfPeriod(repo, { start: '2023-01-01', end: '2023-12-31' })).toBe(first);
    expect(await lastCommitOfPeriod(repo, { start: '2025-01-01', end: '2025-12-31' })).toBe(head);
    expect(await lastCommitOfPeriod(repo, { start: '2020-01-01', end: '2020-12-31' })).toBeUndefined();
    expect(await resolveCommit(repo, 'HEAD~1')).toBe(first);
    await expect(resolveCommit(repo, '--output=/tmp/x')).rejects.toThrow(/not a commit/);
    await expect(resolveCommit(repo, 'no-such-branch')).rejects.toThrow(/not a commit/);
  });

  it('writes regular files only into a private folder, runs nothing, and removes it', async () => {
    const tree = await extractCommitTree(repo, first);
    try {
      expect(statSync(tree.dir).mode & 0o777).toBe(0o700);
      expect(readFileSync(join(tree.dir, 'src', 'app.js'), 'utf8')).toContain(TOKEN); // raw blob: no smudge filter, no export-ignore
      expect(existsSync(join(tree.dir, 'src', 'old-only.js'))).toBe(true);
      expect(existsSync(join(tree.dir, 'passwd-link'))).toBe(false);
      expect(tree.skipped).toEqual({ symlinks: 1, submodules: 1, unsafePaths: 0, missing: 0 });
      expect(tree.files).toBe(3); // .gitattributes, src/app.js, src/old-only.js
      expect(readFileSync(join(tree.dir, '.git'), 'utf8')).toBe('');
    } finally {
      await tree.remove();
    }
    expect(existsSync(tree.dir)).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a clone that lacks a blob', () => {
  it('skips the missing file, counts it, and writes the rest', async () => {
    const partial = mkdtempSync(join(tmpdir(), 'ca-attree-partial-'));
    writeFileSync(join(partial, 'kept.js'), 'module.exports = 1;\n');
    writeFileSync(join(partial, 'gone.js'), 'module.exports = 2;\n');
    gitAt(partial, '2024-01-01T00:00:00Z', ['init', '-q', '-b', 'main']);
    gitAt(partial, '2024-01-01T00:00:00Z', ['add', '-A']);
    gitAt(partial, '2024-01-01T00:00:00Z', ['commit', '-q', '-m', 'x']);
    const id = gitAt(partial, '2024-01-01T00:00:00Z', ['rev-parse', 'HEAD:gone.js']).trim();
    rmSync(join(partial, '.git', 'objects', id.slice(0, 2), id.slice(2)));
    const tree = await extractCommitTree(partial, gitAt(partial, '2024-01-01T00:00:00Z', ['rev-parse', 'HEAD']).trim());
    try {
      expect(tree.skipped.missing).toBe(1);
      expect(tree.files).toBe(1);
      expect(readFileSync(join(tree.dir, 'kept.js'), 'utf8')).toBe('module.exports = 1;\n');
      expect(existsSync(join(tree.dir, 'gone.js'))).toBe(false);
    } finally {
      await tree.remove();
      rmSync(partial, { recursive: true, force: true });
    }
  });
});

describe('evidence export, report generate and controls test over a past period', () => {
  let out: string;
  let again: string;
  let before: string[];
  beforeAll(async () => {
    before = tempTrees();
    const base = mkdtempSync(join(tmpdir(), 'ca-attree-out-'));
    out = join(base, 'ev');
    again = join(base, 'ev2');
    for (const o of [out, again]) {
      const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2023-01-01:2023-12-31', '-o', o]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Evidence for ${first.slice(0, 12)} (its files read from git)`);
      expect(r.stderr).toContain(
        `commit ${first.slice(0, 12)}: 3 files read from git; not scanned: 1 symbolic links, 1 submodules, 0 unsafe paths, 0 files missing`,
      );
    }
  }, 120_000);

  it('scans the last commit of the period, not the work tree, and says so', () => {
    const config = JSON.parse(readFileSync(join(out, 'configuration.json'), 'utf8'));
    expect(config.scannedCommit).toBe(first);
    expect(config.scannedFrom).toBe('commit tree read from git');
    expect(config.scannedChosenBy).toBe('last commit of the period');
    expect(config.period).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(
      `- Scanned: ${first} (the last commit of the period 2023-01-01 to 2023-12-31 on the branch; its files read from git, not the work tree)`,
    );
    // The control matrix names the commit whose files its statuses describe, and the branch head the change log was read from.
    const matrix = JSON.parse(readFileSync(join(out, 'control-matrix.json'), 'utf8'));
    expect([matrix.commit, matrix.changeLogHead]).toEqual([first, head]);
    const results = JSON.parse(readFileSync(join(out, 'scan-results.json'), 'utf8'));
    const secret = results.findings.filter((f: { ruleId: string; location: { path: string } }) => f.ruleId === 'SOC2-002' && f.location.path === 'src/app.js');
    expect(secret.length).toBe(1); // only in the past commit
    expect(JSON.stringify(results)).not.toContain(TOKEN);
    expect(JSON.stringify(results)).not.toContain('complianceagent-commit-');
  });

  it('is byte-identical on a second run, ran nothing of the repository and left no temporary tree', () => {
    expect(readFileSync(join(again, 'MANIFEST.sha256'), 'utf8')).toBe(readFileSync(join(out, 'MANIFEST.sha256'), 'utf8'));
    expect(existsSync(marker)).toBe(false);
    expect(tempTrees()).toEqual(before);
  });

  it('--at HEAD scans the work tree; --at names any commit', async () => {
    const atHead = await runCli(['controls', 'test', repo, '--no-cache', '--period', '2023-01-01:2023-12-31', '--at', 'HEAD', '-f', 'json']);
    const json = JSON.parse(atHead.stdout);
    expect(json.commit).toBe(head);
    expect(json.scannedAt).toEqual({ commit: head, from: 'work-tree', chosenBy: 'at', ref: 'HEAD' });
    const atFirst = await runCli(['controls', 'test', repo, '--no-cache', '--at', first.slice(0, 10), '-f', 'json']);
    expect(JSON.parse(atFirst.stdout).scannedAt).toEqual({ commit: first, from: 'commit', chosenBy: 'at', ref: first.slice(0, 10) });
    const bad = await runCli(['controls', 'test', repo, '--no-cache', '--at', '--exec=x']);
    expect(bad.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
    expect(tempTrees()).toEqual(before);
  }, 120_000);

  it('--history states what git history shows for CC6.1 and CC6.6; without it, not examined', async () => {
    const withHistory = JSON.parse((await runCli(['controls', 'test', repo, '--no-cache', '--history', '-f', 'json'])).stdout);
    expect(withHistory.secretsHistory).toMatchObject({ examined: true, head, secrets: 1, files: 1, commits: 1 });
    const cc61 = withHistory.controls.find((c: { id: string }) => c.id === 'CC6.1');
    expect(cc61.reasons.join('\n')).toContain(`Secrets in git history: examined (commits reachable from ${head.slice(0, 12)}); 1 secret`);
    const without = JSON.parse((await runCli(['controls', 'test', repo, '--no-cache', '-f', 'json'])).stdout);
    expect(without.secretsHistory).toEqual({ examined: false });
    for (const id of ['CC6.1', 'CC6.6'])
      expect(without.controls.find((c: { id: string }) => c.id === id).reasons.join('\n')).toContain('Secrets in git history: not examined');
    expect(JSON.stringify(withHistory)).not.toContain(TOKEN);
    expect(existsSync(marker)).toBe(false);
  }, 120_000);

  it('a period before the first commit is a usage error', async () => {
    const r = await runCli(['report', 'generate', repo, '--no-cache', '--period', '2019-01-01:2019-12-31', '-o', join(out, '..', 'x.pdf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no commit on main on or before 2019-12-31');
  });
});

describe('the hostile configuration is live', () => {
  it('plain git (no hardening) runs it: the marker above could have appeared', () => {
    const copy = mkdtempSync(join(tmpdir(), 'ca-attree-copy-'));
    execFileSync('cp', ['-a', `${repo}/.`, copy]);
    // status runs the fsmonitor and the clean filter (which fails the call: that is fine, it ran).
    spawnSync('git', ['status'], { cwd: copy, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
    expect(readFileSync(marker, 'utf8')).toContain('run.sh');
    rmSync(marker);
    rmSync(copy, { recursive: true, force: true });
  });
});
