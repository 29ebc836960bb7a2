import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { GITHUB_TOKEN, STRIPE_KEY, describeFindings, git, makeProject, writeFiles, type JsonReport } from './project.js';

/**
 * A git repository built in the test: main has two findings; the feature branch adds one line with a finding in
 * an old file, one new committed file, one uncommitted edit and one untracked file; main moves on meanwhile.
 */
let repo: string;
beforeAll(() => {
  repo = makeProject(
    {
      'src/old.js': `const stripe = '${STRIPE_KEY}';\nconst a = 1;\n`,
      'src/other.js': `const token = '${GITHUB_TOKEN}';\n`,
    },
    'ca-git-',
  );
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'base');
  git(repo, 'checkout', '-q', '-b', 'feature');
  writeFiles(repo, {
    'src/old.js': `const stripe = '${STRIPE_KEY}';\nconst a = 1;\nconst password = 'Sup3r-s3cret-pa55word!';\n`,
    'src/added.py': `API_TOKEN = "${GITHUB_TOKEN}"\n`,
  });
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'feature work');
  git(repo, 'checkout', '-q', 'main');
  writeFiles(repo, { 'src/main-only.js': `const k = '${STRIPE_KEY}';\n` });
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'main moves on');
  git(repo, 'checkout', '-q', 'feature');
  writeFileSync(join(repo, 'src/other.js'), `const token = '${GITHUB_TOKEN}';\nconst again = '${GITHUB_TOKEN}';\n`);
  writeFiles(repo, { 'scratch/new.js': `const s = '${STRIPE_KEY}';\n` });
});

describe('--changed-since', () => {
  it('reports only findings on lines changed since the merge base, committed or not, and untracked files', async () => {
    const r = await runCli(['scan', repo, '--no-cache', '-f', 'json', '--changed-since', 'main']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(describeFindings(report)).toEqual(['scratch/new.js:1 SOC2-002', 'src/added.py:1 SOC2-002', 'src/old.js:3 SOC2-002', 'src/other.js:2 SOC2-002']);
    expect(report.summary.verdict).toBe('4 issues detected by automated checks. 2 findings on lines not changed since main not shown.');
    expect(r.stderr).toMatch(/^changed since main \([0-9a-f]{12}\): 2 findings on unchanged lines not reported\n$/);
  });

  it('passes when the scanned files have no changed lines with findings', async () => {
    const r = await runCli(['scan', repo, '--no-cache', '-f', 'json', '--changed-since', 'HEAD', '--exclude', 'scratch/**', 'src/other.js']);
    expect(describeFindings(JSON.parse(r.stdout) as JsonReport)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('says plainly that the ref is unknown', async () => {
    const r = await runCli(['scan', repo, '--no-cache', '--changed-since', 'no-such-branch']);
    expect(r.stderr).toBe(
      "complianceagent: --changed-since: 'no-such-branch' is not a commit, branch or tag in this repository\nhint: check the name, or fetch it: git fetch origin no-such-branch\n",
    );
    expect(r.code).toBe(2);
  });

  it('in a shallow clone without the ref, says so and how to fetch it', async () => {
    const clone = makeProject({}, 'ca-shallow-');
    git(clone, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo}`, 'c');
    const r = await runCli(['scan', join(clone, 'c'), '--no-cache', '--changed-since', 'origin/main']);
    expect(r.stderr).toBe(
      "complianceagent: --changed-since: 'origin/main' is not in this clone, which is shallow (it holds only the latest commits)\n" +
        'hint: fetch it first: git fetch --no-tags --depth=100 origin main:refs/remotes/origin/main (or check out with full history, e.g. actions/checkout with fetch-depth: 0)\n',
    );
    expect(r.code).toBe(2);
  });

  it('outside a git repository is a usage error', async () => {
    const dir = makeProject({ 'a.js': 'x\n' });
    const r = await runCli(['scan', dir, '--no-cache', '--changed-since', 'main']);
    expect(r.stderr).toMatch(/--changed-since needs a git repository/);
    expect(r.code).toBe(2);
  });
});
