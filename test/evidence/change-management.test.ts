import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChangeLog } from '../../src/evidence/change-log.js';
import { classifyChange, codeownersPresence, normaliseName, parsePullRequestExport, unifyAuthors } from '../../src/evidence/change-management.js';
import type { GitCommit } from '../../src/evidence/git.js';
import { runCli } from '../helpers/cli.js';
import { emptyFacts } from '../../src/model/facts.js';
import { securityClassifier } from '../../src/evidence/security-files.js';

/**
 * A repository built here with every kind of change to main: a squash merge `(#12)` and a `Merge pull request #13`
 * made by GitHub, direct pushes (one under an old email that `.mailmap` maps, one from another machine's email),
 * a plain merge of a hotfix branch, a direct push with a `Reviewed-by:` trailer, one whose trailer names its own
 * author, and commits before and after the period.
 */

interface Who {
  name: string;
  email: string;
}
const BOB: Who = { name: 'Bob Builder', email: 'bob@example.com' };
const CAROL: Who = { name: 'Carol', email: 'carol@example.com' };
const EVE: Who = { name: 'Eve', email: 'eve@example.com' };
const GITHUB: Who = { name: 'GitHub', email: 'noreply@github.com' };

function git(cwd: string, date: string, author: Who, args: string[], committer: Who = author): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  });
}

function change(dir: string, file: string, text: string): void {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
}

const hashes: Record<string, string> = {};

function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-changes-'));
  const head = () => git(dir, '2024-01-01T00:00:00Z', EVE, ['rev-parse', 'HEAD']).trim();
  git(dir, '2023-12-01T10:00:00Z', EVE, ['init', '-q', '-b', 'main']);
  change(dir, 'app.py', 'print("hello")\n');
  change(dir, '.mailmap', 'Bob Builder <bob@example.com> <bob@old.example>\n');
  git(dir, '2023-12-01T10:00:00Z', EVE, ['add', '-A']);
  git(dir, '2023-12-01T10:00:00Z', EVE, ['commit', '-q', '-m', 'Initial version']);

  change(dir, 'login.py', 'def login(): pass\n');
  git(dir, '2024-01-10T10:00:00Z', BOB, ['add', '-A']);
  git(dir, '2024-01-10T10:00:00Z', BOB, ['commit', '-q', '-m', 'Add login page (#12)', '-m', '* first draft\n* tests'], GITHUB);
  hashes.squash = head();

  git(dir, '2024-02-01T10:00:00Z', CAROL, ['checkout', '-q', '-b', 'feat']);
  change(dir, 'feat.py', 'x = 1\n');
  git(dir, '2024-02-01T10:00:00Z', CAROL, ['add', '-A']);
  git(dir, '2024-02-01T10:00:00Z', CAROL, ['commit', '-q', '-m', 'Side work 1']);
  change(dir, 'feat.py', 'x = 2\n');
  git(dir, '2024-02-02T10:00:00Z', CAROL, ['commit', '-q', '-am', 'Side work 2']);
  git(dir, '2024-02-03T10:00:00Z', CAROL, ['checkout', '-q', 'main']);
  git(dir, '2024-02-03T10:00:00Z', CAROL, ['merge', '-q', '--no-ff', '-m', 'Merge pull request #13 from acme/feat', '-m', 'Side work', 'feat'], GITHUB);
  hashes.prMerge = head();

  change(dir, 'app.py', 'print("hello, world")\n');
  change(dir, '.github/CODEOWNERS', '* @acme/maintainers\n');
  git(dir, '2024-03-01T10:00:00Z', EVE, ['add', '-A']);
  git(dir, '2024-03-01T10:00:00Z', { name: 'bob', email: 'bob@old.example' }, ['commit', '-q', '-m', 'Quick fix']);
  hashes.direct1 = head();
  change(dir, 'app.py', 'print("hello, world!")\n');
  git(dir, '2024-03-05T10:00:00Z', { name: 'Bob  Builder', email: 'bob.b@laptop.local' }, ['commit', '-q', '-am', 'Another quick fix']);
  hashes.direct2 = head();

  git(dir, '2024-04-01T10:00:00Z', CAROL, ['checkout', '-q', '-b', 'hotfix']);
  change(dir, 'hot.py', 'y = 1\n');
  git(dir, '2024-04-01T10:00:00Z', { name: 'Carol C', email: 'carol@example.com' }, ['add', '-A']);
  git(dir, '2024-04-01T10:00:00Z', { name: 'Carol C', email: 'carol@example.com' }, ['commit', '-q', '-m', 'Hotfix']);
  git(dir, '2024-04-02T10:00:00Z', CAROL, ['checkout', '-q', 'main']);
  git(dir, '2024-04-02T10:00:00Z', { name: 'Carol C', email: 'carol@example.com' }, ['merge', '-q', '--no-ff', '-m', "Merge branch 'hotfix'", 'hotfix']);
  hashes.branchMerge = head();

  change(dir, 'app.py', 'print("reviewed")\n');
  git(dir, '2024-05-01T10:00:00Z', EVE, ['commit', '-q', '-am', 'Reviewed change', '-m', 'Reviewed-by: Dana <dana@example.com>']);
  hashes.trailer = head();
  change(dir, 'app.py', 'print("self")\n');
  git(dir, '2024-06-01T10:00:00Z', BOB, ['rm', '-q', '.github/CODEOWNERS']);
  git(dir, '2024-06-01T10:00:00Z', BOB, ['commit', '-q', '-am', 'Self-reviewed change', '-m', 'Reviewed-by: Bob Builder <bob@example.com>']);
  hashes.selfReview = head();

  change(dir, 'app.py', 'print("later")\n');
  git(dir, '2025-01-01T10:00:00Z', EVE, ['commit', '-q', '-am', 'After the period']);
  return dir;
}

let repo: string;
let log: ChangeLog;

beforeAll(async () => {
  repo = makeRepo();
  const out = join(mkdtempSync(join(tmpdir(), 'ca-changes-out-')), 'ev');
  const r = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', out, '--date', '2025-01-02']);
  expect(r.stderr).toContain('files written');
  expect(r.code).toBe(0);
  log = JSON.parse(readFileSync(join(out, 'change-log.json'), 'utf8')) as ChangeLog;
}, 60_000);

describe('change log from the first-parent history', () => {
  it('lists the changes to main in the period, not the commits made on merged branches', () => {
    expect(log.branch).toBe('main');
    expect(log.commits.map((c) => c.subject)).toEqual([
      'Self-reviewed change',
      'Reviewed change',
      "Merge branch 'hotfix'",
      'Another quick fix',
      'Quick fix',
      'Merge pull request #13 from acme/feat',
      'Add login page (#12)',
    ]);
  });

  it('classifies each change and parses pull request numbers', () => {
    expect(log.commits.map((c) => [c.hash, c.change.kind, c.change.pullRequest ?? null, c.change.review])).toEqual([
      [hashes.selfReview, 'direct-push', null, 'none'],
      [hashes.trailer, 'direct-push', null, 'review-trailer'],
      [hashes.branchMerge, 'branch-merge', null, 'none'],
      [hashes.direct2, 'direct-push', null, 'none'],
      [hashes.direct1, 'direct-push', null, 'none'],
      [hashes.prMerge, 'pull-request', 13, 'merged-pull-request'],
      [hashes.squash, 'pull-request', 12, 'merged-pull-request'],
    ]);
    expect(log.commits[1]!.change.reviewers).toEqual(['Dana']);
  });

  it('unifies authors through .mailmap, email and name', () => {
    expect(log.commits.find((c) => c.hash === hashes.direct1)!.author).toBe('Bob Builder');
    expect(log.summary.authors).toEqual([
      { name: 'Bob Builder', emails: ['bob.b@laptop.local', 'bob@example.com'], commits: 4 },
      { name: 'Carol', emails: ['carol@example.com'], commits: 2 },
      { name: 'Eve', emails: ['eve@example.com'], commits: 1 },
    ]);
  });

  it('lists the changes without review evidence as exceptions and counts them', () => {
    const r = log.summary.changeReview;
    expect(r).toMatchObject({ changes: 7, pullRequests: 2, directPushes: 4, branchMerges: 1, reviewed: 3, approved: 1, authors: 3, shallow: false });
    expect(r.exceptions.find((e) => e.kind === 'branch-merge')!.mergedCommits).toBe(1); // the hotfix commit
    expect(log.commits.find((c) => c.hash === hashes.prMerge)!.mergedCommits).toBe(2); // Side work 1 and 2
    expect(r.exceptions.map((e) => [e.hash, e.kind])).toEqual([
      [hashes.selfReview, 'direct-push'],
      [hashes.branchMerge, 'branch-merge'],
      [hashes.direct2, 'direct-push'],
      [hashes.direct1, 'direct-push'],
    ]);
  });
});

describe('CC8.1 from the change review', () => {
  async function cc81(args: string[], cwd = repo) {
    const r = await runCli(['controls', 'test', repo, '--no-cache', '--format', 'json', '--fail-on', 'none', ...args], { cwd });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      controls: Array<{ id: string; status: string; reasons: string[]; evidence: Array<{ kind: string; summary: string }> }>;
    };
    return out.controls.find((c) => c.id === 'CC8.1')!;
  }

  it('is Partially implemented with the figures when changes lack review evidence', async () => {
    const c = await cc81(['--period', '2024-01-01:2024-12-31']);
    expect(c.status).toBe('partial');
    expect(c.reasons.join('\n')).toContain(
      '3 of 7 changes pushed directly without review evidence; 1 of 7 changes is a merge of another branch without review evidence (bringing in 1 commit made off the branch, not counted as changes here)',
    );
    expect(c.reasons).toContain('CODEOWNERS on main: .github/CODEOWNERS present from 2024-03-01 to 2024-06-01.');
    expect(c.evidence[0]).toMatchObject({ kind: 'Change review', summary: expect.stringContaining('3 of 7 changes to main from 2024-01-01 to 2024-12-31') });
  });

  it('is Not assessed without a period: tracking and CI are no review evidence', async () => {
    const c = await cc81([]);
    expect(c.status).toBe('not-assessed');
    expect(c.reasons[0]).toContain('--period');
  });

  it('is Implemented when every change of the period carries review evidence', async () => {
    const c = await cc81(['--period', '2024-01-01:2024-02-28']);
    expect(c.status).toBe('implemented');
    expect(c.reasons.join('\n')).toContain('2 changes to main from 2024-01-01 to 2024-02-28');
    expect(c.reasons).toContain('No CODEOWNERS file on main during the period: reviewers were not assigned by ownership.');
  });

  it('reads approvals from the pull-request export; a merged pull request without approval is an exception', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-prs-')), 'prs.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          number: 12,
          mergedAt: '2024-01-10T10:00:00Z',
          reviewDecision: 'APPROVED',
          reviews: [{ author: { login: 'carol' }, state: 'APPROVED' }],
          mergeCommit: { oid: hashes.squash },
        },
        {
          number: 13,
          mergedAt: '2024-02-03T10:00:00Z',
          reviewDecision: '',
          reviews: [{ author: { login: 'dana' }, state: 'COMMENTED' }],
          mergeCommit: { oid: hashes.prMerge },
        },
      ]),
    );
    const c = await cc81(['--period', '2024-01-01:2024-02-28', '--pull-requests', file]);
    expect(c.status).toBe('partial');
    expect(c.reasons.join('\n')).toContain('1 pull request merged without an approving review (per prs.json)');
    expect(c.reasons.join('\n')).toContain('Approval recorded for 1 change');
  });

  it('refuses a pull-request export of another shape', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-prs-')), 'prs.json');
    writeFileSync(file, JSON.stringify({ pullRequests: [] }));
    const r = await runCli(['controls', 'test', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '--pull-requests', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--pull-requests prs.json: expected a JSON array of pull requests');
  });
});

describe('security-relevant files from the scan facts', () => {
  it('names guard declarations, security libraries and flagged settings; not tests, stylesheets or path words', () => {
    const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
    const guard = { kind: 'authentication' as const, name: 'login_required', scope: 'route' as const, path: 'app/decorators.py', line: 4 };
    const files = [
      { ...emptyFacts('app/hashing.py', 'python', 5), imports: [{ module: 'bcrypt', names: [{ local: 'bcrypt', imported: 'bcrypt' }], line: 1 }] },
      { ...emptyFacts('app/models.py', 'python', 5), imports: [{ module: 'sqlalchemy', names: [{ local: 'Column', imported: 'Column' }], line: 1 }] },
      { ...emptyFacts('tests/test_auth.py', 'python', 5), imports: [{ module: 'bcrypt', names: [{ local: 'bcrypt', imported: 'bcrypt' }], line: 1 }] },
    ];
    const classify = securityClassifier(
      { files, endpoints: [{ framework: 'flask', methods: ['GET'], path: '/', file: 'app/views.py', range, guards: [guard], optOuts: [] }], apps: [] },
      [],
    );
    expect(classify('app/decorators.py')).toEqual(['declares or applies authentication guards']);
    expect(classify('app/hashing.py')).toEqual(['uses bcrypt (password hashing)']);
    expect(classify('tests/test_auth.py')).toEqual([]);
    expect(classify('app/models.py')).toEqual([]); // an ORM in use is no security change
    expect(classify('static/css/auth-security.css')).toEqual([]);
    expect(classify('.github/workflows/ci.yml')).toEqual(['CI workflow']);
    expect(classify('requirements.txt')).toEqual(['dependencies']);
  });
});

describe('change classification (pure)', () => {
  const commit = (over: Partial<GitCommit>): GitCommit => ({
    hash: 'a'.repeat(40),
    parents: ['b'.repeat(40)],
    author: 'A',
    authorEmail: 'a@x',
    authorDate: '2024-01-01T00:00:00Z',
    committer: 'A',
    committerEmail: 'a@x',
    committerDate: '2024-01-01T00:00:00Z',
    subject: '',
    body: '',
    files: [],
    ...over,
  });

  it.each([
    ['Merge pull request #2373 from org/branch', 2373, 'pull-request'],
    ['Fix the thing (#2373)', 2373, 'pull-request'],
    ['Merged in feature/x (pull request #7)', 7, 'pull-request'],
    ['Merged PR 42: Add search', 42, 'pull-request'],
    ['Fix issue #12 in the parser', null, 'direct-push'],
    ['Revert "Fix (#5)" because (#5) broke it', null, 'direct-push'],
  ])('%s', (subject, number, kind) => {
    const c = classifyChange(commit({ subject }));
    expect([c.pullRequest ?? null, c.kind]).toEqual([number, kind]);
  });

  it('says when GitHub committed a change without a pull request number (web edit or rebase merge)', () => {
    const c = classifyChange(commit({ subject: 'Fix crash', committer: 'GitHub', committerEmail: 'noreply@github.com' }));
    expect([c.kind, c.review]).toEqual(['direct-push', 'none']);
    expect(c.recognisedBy).toContain('a web edit or a rebase merge');
  });

  it('recognises a GitLab merge request from its merge commit body', () => {
    const c = classifyChange(
      commit({ parents: ['b'.repeat(40), 'c'.repeat(40)], subject: "Merge branch 'x' into 'main'", body: 'Fix it\n\nSee merge request group/app!31' }),
    );
    expect([c.kind, c.pullRequest, c.review]).toEqual(['pull-request', 31, 'merged-pull-request']);
  });

  it('folds accents, case and spacing in names', () => {
    expect(normaliseName('Björn  KIMMINICH')).toBe('bjorn kimminich');
    expect(
      unifyAuthors([
        { author: 'Björn Kimminich', authorEmail: 'b@one' },
        { author: 'bjorn kimminich', authorEmail: 'b@two' },
        { author: 'Bjoern Kimminich', authorEmail: 'b@two' },
        { author: 'Someone Else', authorEmail: 's@x' },
      ]),
    ).toEqual([
      { name: 'Bjoern Kimminich', emails: ['b@one', 'b@two'], commits: 3 },
      { name: 'Someone Else', emails: ['s@x'], commits: 1 },
    ]);
  });

  it('says when CODEOWNERS was present during the period', () => {
    const events = [
      { date: '2023-05-01T10:00:00+02:00', status: 'A' as const, path: 'CODEOWNERS' },
      { date: '2024-02-01T10:00:00Z', status: 'M' as const, path: 'CODEOWNERS' },
      { date: '2024-09-30T23:30:00-02:00', status: 'D' as const, path: 'CODEOWNERS' },
      { date: '2024-11-01T00:00:00Z', status: 'A' as const, path: '.github/CODEOWNERS' },
    ];
    expect(codeownersPresence(events, { start: '2024-01-01', end: '2024-12-31' })).toEqual([
      { path: '.github/CODEOWNERS', from: '2024-11-01', to: '2024-12-31' },
      { path: 'CODEOWNERS', from: '2024-01-01', to: '2024-10-01' },
    ]);
    expect(codeownersPresence(events, { start: '2025-01-01', end: '2025-12-31' })).toEqual([
      { path: '.github/CODEOWNERS', from: '2025-01-01', to: '2025-12-31' },
    ]);
  });

  it('reads the gh pr list shape and refuses others', () => {
    expect(parsePullRequestExport('[{"number":1,"reviewDecision":"REVIEW_REQUIRED","reviews":[],"mergeCommit":null}]', 'f')).toEqual([
      { number: 1, approved: false, approvers: [] },
    ]);
    expect(() => parsePullRequestExport('[{"title":"x"}]', 'f')).toThrow('entry 0 has no pull request number');
    expect(() => parsePullRequestExport('nope', 'f')).toThrow('not JSON');
  });
});
