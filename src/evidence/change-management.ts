import { UsageError } from '../errors.js';
import type { ChangeReviewFigures } from '../model/repo-signals.js';
import type { GitCommit } from './git.js';

/**
 * Change management from the history alone (CC8.1): each change to the branch (a first-parent commit) is a
 * merged pull request, a direct push or a merge of another branch, with the review evidence the history (and an
 * optional export of the hosting service's pull requests) carries. Pure: git and files arrive as data.
 */

export type ChangeKind = 'pull-request' | 'direct-push' | 'branch-merge';

/**
 * - `approved-review`: the pull-request export records an approving review;
 * - `review-trailer`: a `Reviewed-by:` / `Approved-by:` trailer names someone other than the author;
 * - `merged-pull-request`: merged through the hosting service's pull request (the approval itself is not in git);
 * - `none`: no review evidence.
 */
export type ReviewEvidence = 'approved-review' | 'review-trailer' | 'merged-pull-request' | 'none';

export interface ChangeClass {
  kind: ChangeKind;
  /** The pull (or merge) request number, when the history or the export names one. */
  pullRequest?: number;
  /** How the change was recognised: `Merge pull request #N`, `(#N) in the subject`, `See merge request !N` … */
  recognisedBy: string;
  review: ReviewEvidence;
  /** Who approved: export logins or trailer names, sorted. */
  reviewers: string[];
}

export interface PullRequestRecord {
  number: number;
  /** Full hash of the commit the merge made on the base branch, when the export has it. */
  mergeCommit?: string;
  approved: boolean;
  approvers: string[];
}

const PR_PATTERNS: ReadonlyArray<{ re: RegExp; on: 'subject' | 'body'; label: string }> = [
  { re: /^Merge pull request #(\d+)\b/, on: 'subject', label: 'Merge pull request #N (GitHub)' },
  { re: /^Merged in \S+ \(pull request #(\d+)\)/, on: 'subject', label: 'Merged in … (pull request #N) (Bitbucket)' },
  { re: /^Merged PR (\d+):/, on: 'subject', label: 'Merged PR N (Azure DevOps)' },
  { re: /^See merge request \S*!(\d+)\s*$/m, on: 'body', label: 'See merge request !N (GitLab)' },
  { re: /\(#(\d+)\)\s*$/, on: 'subject', label: '(#N) in the subject (squash or rebase merge)' },
];

/** GitHub's web-flow identity: it commits squash and rebase merges, web edits and merge-button merges. */
export function isHostingCommitter(c: { committerEmail: string }): boolean {
  return c.committerEmail.toLowerCase() === 'noreply@github.com';
}

const HOSTED_COMMIT = 'committed by GitHub without a pull request number (a web edit or a rebase merge; the pull-request export tells which)';

const REVIEW_TRAILER = /^(?:Reviewed-by|Approved-by):[ \t]*(\S.*)$/gim;

/** Lower-case words without accents or punctuation: `Björn  Kimminich` → `bjorn kimminich`. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function trailerReviewers(c: GitCommit): string[] {
  const out = new Set<string>();
  const author = normaliseName(c.author);
  const email = c.authorEmail.toLowerCase();
  for (const m of c.body.matchAll(REVIEW_TRAILER)) {
    const value = m[1]!.trim();
    const mail = /<([^>]*)>/.exec(value)?.[1]?.toLowerCase();
    const name = value.replace(/<[^>]*>/, '').trim();
    // A trailer naming the author is no review by someone else.
    if ((mail && mail === email) || (name && normaliseName(name) === author)) continue;
    out.add(name || value);
  }
  return [...out].sort();
}

/** Classifies one first-parent commit; `exported` is the export's record for it, if any. */
export function classifyChange(c: GitCommit, prs?: ReadonlyMap<string, PullRequestRecord>, byNumber?: ReadonlyMap<number, PullRequestRecord>): ChangeClass {
  let pullRequest: number | undefined;
  let recognisedBy = c.parents.length > 1 ? 'merge commit' : 'commit';
  for (const p of PR_PATTERNS) {
    const m = p.re.exec(p.on === 'subject' ? c.subject : c.body);
    if (m) {
      pullRequest = Number(m[1]);
      recognisedBy = p.label;
      break;
    }
  }
  if (pullRequest === undefined && c.parents.length === 1 && isHostingCommitter(c)) recognisedBy = HOSTED_COMMIT;
  let record = prs?.get(c.hash);
  if (record && pullRequest === undefined) {
    pullRequest = record.number;
    recognisedBy = 'merge commit of pull request #N in the export';
  }
  if (!record && pullRequest !== undefined) record = byNumber?.get(pullRequest);
  const kind: ChangeKind = pullRequest !== undefined ? 'pull-request' : c.parents.length > 1 ? 'branch-merge' : 'direct-push';
  const trailers = trailerReviewers(c);
  let review: ReviewEvidence = 'none';
  let reviewers: string[] = [];
  if (record?.approved) {
    review = 'approved-review';
    reviewers = [...new Set([...record.approvers, ...trailers])].sort();
  } else if (trailers.length > 0) {
    review = 'review-trailer';
    reviewers = trailers;
  } else if (kind === 'pull-request' && !record) review = 'merged-pull-request';
  return { kind, ...(pullRequest !== undefined ? { pullRequest } : {}), recognisedBy, review, reviewers };
}

function exportError(name: string, what: string): UsageError {
  return new UsageError(
    `--pull-requests ${name}: ${what}`,
    'give the JSON array that `gh pr list --state merged --limit 1000 --json number,mergedAt,reviewDecision,reviews,mergeCommit` writes',
  );
}

/**
 * Reads the hosting service's pull-request list in the JSON shape of `gh pr list --json
 * number,mergedAt,reviewDecision,reviews,mergeCommit` (GitHub CLI): an array of `{ number, mergeCommit: { oid },
 * reviewDecision, reviews: [{ author: { login }, state }] }`. Approved: `reviewDecision` is `APPROVED` or a
 * review's `state` is `APPROVED`. Anything else is refused with a usage error, never guessed.
 */
export function parsePullRequestExport(text: string, name: string): PullRequestRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw exportError(name, `not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw exportError(name, 'expected a JSON array of pull requests');
  return data.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw exportError(name, `entry ${i} is not an object`);
    const pr = item as Record<string, unknown>;
    if (!Number.isSafeInteger(pr.number) || (pr.number as number) <= 0) throw exportError(name, `entry ${i} has no pull request number`);
    const merge = pr.mergeCommit as { oid?: unknown } | null | undefined;
    const oid = typeof merge === 'object' && merge !== null && typeof merge.oid === 'string' && /^[0-9a-f]{40,64}$/.test(merge.oid) ? merge.oid : undefined;
    const reviews = pr.reviews === undefined || pr.reviews === null ? [] : pr.reviews;
    if (!Array.isArray(reviews)) throw exportError(name, `entry ${i}: reviews is not an array`);
    const approvers = new Set<string>();
    for (const r of reviews as Array<{ state?: unknown; author?: { login?: unknown } | null }>) {
      if (r?.state === 'APPROVED') approvers.add(typeof r.author?.login === 'string' ? r.author.login : '(unknown reviewer)');
    }
    const approved = pr.reviewDecision === 'APPROVED' || approvers.size > 0;
    return { number: pr.number as number, ...(oid ? { mergeCommit: oid } : {}), approved, approvers: [...approvers].sort() };
  });
}

export interface UnifiedAuthor {
  name: string;
  emails: string[];
  commits: number;
}

/**
 * People, not identities: authors (already mapped through `.mailmap`) are one person when they share an email or
 * a name (accents, case and punctuation aside). Most commits first.
 */
export function unifyAuthors(commits: ReadonlyArray<{ author: string; authorEmail: string }>): UnifiedAuthor[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  const add = (k: string) => {
    if (!parent.has(k)) parent.set(k, k);
  };
  const keysOf = (c: { author: string; authorEmail: string }) =>
    [normaliseName(c.author) && `n:${normaliseName(c.author)}`, c.authorEmail && `e:${c.authorEmail.toLowerCase()}`].filter(Boolean) as string[];
  for (const c of commits) {
    const keys = keysOf(c);
    for (const k of keys) add(k);
    for (const k of keys.slice(1)) {
      const a = find(keys[0]!);
      const b = find(k);
      if (a === b) continue;
      // The smaller key becomes the root, so the grouping does not depend on the commit order.
      const [low, high] = a < b ? [a, b] : [b, a];
      parent.set(high, low);
    }
  }
  const groups = new Map<string, { names: Map<string, number>; emails: Set<string>; commits: number }>();
  for (const c of commits) {
    const keys = keysOf(c);
    const root = keys.length ? find(keys[0]!) : '';
    const g = groups.get(root) ?? { names: new Map(), emails: new Set(), commits: 0 };
    g.names.set(c.author, (g.names.get(c.author) ?? 0) + 1);
    if (c.authorEmail) g.emails.add(c.authorEmail);
    g.commits++;
    groups.set(root, g);
  }
  return [...groups.values()]
    .map((g) => ({
      name: [...g.names].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))[0]![0],
      emails: [...g.emails].sort(),
      commits: g.commits,
    }))
    .sort((a, b) => b.commits - a.commits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const EXCEPTION_REASON: Record<ChangeKind, string> = {
  'direct-push': 'pushed directly to the branch without review evidence',
  'branch-merge': 'another branch merged without a pull request or review evidence',
  'pull-request': 'pull request merged without an approving review (per the export)',
};

export interface ClassifiedChange {
  commit: GitCommit;
  change: ChangeClass;
}

/** The CC8.1 figures of a period from its classified changes (newest first). */
export function changeReviewFigures(
  changes: readonly ClassifiedChange[],
  context: { period: { start: string; end: string }; branch: string; head: string; shallow: boolean; pullRequestFile?: string },
): ChangeReviewFigures {
  const count = (f: (c: ClassifiedChange) => boolean) => changes.filter(f).length;
  return {
    period: context.period,
    branch: context.branch,
    head: context.head,
    shallow: context.shallow,
    changes: changes.length,
    pullRequests: count((c) => c.change.kind === 'pull-request'),
    directPushes: count((c) => c.change.kind === 'direct-push'),
    branchMerges: count((c) => c.change.kind === 'branch-merge'),
    committedByHostingService: count((c) => c.change.kind === 'direct-push' && c.change.recognisedBy === HOSTED_COMMIT),
    reviewed: count((c) => c.change.review !== 'none'),
    approved: count((c) => c.change.review === 'approved-review' || c.change.review === 'review-trailer'),
    ...(context.pullRequestFile ? { pullRequestFile: context.pullRequestFile } : {}),
    authors: unifyAuthors(changes.map((c) => c.commit)).length,
    exceptions: changes
      .filter((c) => c.change.review === 'none')
      .map((c) => ({
        hash: c.commit.hash,
        date: c.commit.committerDate,
        author: c.commit.author,
        kind: c.change.kind,
        subject: c.commit.subject,
        reason: c.change.recognisedBy === HOSTED_COMMIT ? HOSTED_COMMIT : EXCEPTION_REASON[c.change.kind],
        ...(c.commit.mergedCommits !== undefined && c.commit.parents.length > 1 ? { mergedCommits: c.commit.mergedCommits } : {}),
      })),
  };
}

/** Index of an export by merge commit and by number. */
export function indexPullRequests(records: readonly PullRequestRecord[]): {
  byCommit: Map<string, PullRequestRecord>;
  byNumber: Map<number, PullRequestRecord>;
} {
  const byCommit = new Map<string, PullRequestRecord>();
  const byNumber = new Map<number, PullRequestRecord>();
  for (const r of records) {
    if (r.mergeCommit) byCommit.set(r.mergeCommit, r);
    byNumber.set(r.number, r);
  }
  return { byCommit, byNumber };
}

/** One commit of the branch that added, modified or deleted a CODEOWNERS file. */
export interface OwnersEvent {
  date: string;
  status: 'A' | 'M' | 'D';
  path: string;
}

/**
 * When each CODEOWNERS file was present on the branch during the period (calendar days, clipped to the period),
 * from its additions and deletions in the branch's history (events in any order).
 */
export function codeownersPresence(events: readonly OwnersEvent[], period: { start: string; end: string }): Array<{ path: string; from: string; to: string }> {
  const out: Array<{ path: string; from: string; to: string }> = [];
  const byPath = new Map<string, OwnersEvent[]>();
  for (const e of events) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);
  for (const [path, list] of [...byPath].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => new Date(a.date).getTime() - new Date(b.date).getTime());
    let since: string | undefined;
    const close = (until: string) => {
      if (since === undefined) return;
      const from = since < period.start ? period.start : since;
      const to = until > period.end ? period.end : until;
      if (from <= to) out.push({ path, from, to });
      since = undefined;
    };
    for (const e of list) {
      if (e.status === 'D') close(day(e.date));
      else since ??= day(e.date);
    }
    close(period.end);
  }
  return out;
}
