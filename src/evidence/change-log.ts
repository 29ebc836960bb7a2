import { UsageError } from '../errors.js';
import { securityRelevance } from '../controls/evidence-signals.js';
import type { ChangeReviewFigures } from '../model/repo-signals.js';
import {
  type ChangeClass,
  changeReviewFigures,
  classifyChange,
  indexPullRequests,
  type PullRequestRecord,
  type UnifiedAuthor,
  unifyAuthors,
} from './change-management.js';
import type { GitCommit } from './git.js';
import { redactSecretsInText } from './redact.js';

/** The change log for an audit period (CC8.1): the branch's changes with author, date, files, kind (pull request, direct push, merge), review evidence and security-relevant files. */

export interface Period {
  /** YYYY-MM-DD, inclusive. */
  start: string;
  /** YYYY-MM-DD, inclusive. */
  end: string;
}

export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === s;
}

/** `2024-01-01:2024-12-31` → the period; a clear usage error for anything else. */
export function parsePeriod(text: string): Period {
  const hint = 'write the period as START:END in calendar dates, e.g. --period 2024-01-01:2024-12-31';
  const parts = text.split(':');
  if (parts.length !== 2) throw new UsageError(`malformed --period '${text}'`, hint);
  const [start, end] = parts as [string, string];
  for (const d of [start, end]) if (!isCalendarDate(d)) throw new UsageError(`malformed --period '${text}': '${d}' is not a calendar date YYYY-MM-DD`, hint);
  if (start > end) throw new UsageError(`malformed --period '${text}': the start ${start} is after the end ${end}`, hint);
  return { start, end };
}

/** The instants git filters on: the whole first and last day, in UTC. */
export function periodInstants(period: Period): { since: string; until: string } {
  return { since: `${period.start}T00:00:00Z`, until: `${period.end}T23:59:59Z` };
}

export interface ChangeLogCommit extends Omit<GitCommit, 'body'> {
  merge: boolean;
  /** Merged pull request, direct push or merge of another branch, with its review evidence. */
  change: ChangeClass;
  /** Changed files that matter for security and change management, with why. */
  securityRelevant: Array<{ path: string; reasons: string[] }>;
}

export interface ChangeLog {
  period: Period;
  /** The commit the log was read from. */
  head: string;
  /** The branch whose first-parent history was read (`HEAD` when detached). */
  branch: string;
  summary: {
    /** Changes to the branch: its first-parent commits in the period (commits made on merged branches are part of their merge). */
    commits: number;
    merges: number;
    securityRelevantCommits: number;
    /** People after `.mailmap` and unification by name or email, with every email they used. */
    authors: UnifiedAuthor[];
    /** Security-relevant files changed in the period, with how many commits touched each. */
    securityRelevantFiles: Array<{ path: string; reasons: string[]; commits: number }>;
    /** CC8.1's figures: pull requests, direct pushes, merges, review evidence, exceptions. */
    changeReview: ChangeReviewFigures;
  };
  commits: ChangeLogCommit[];
}

export interface ChangeLogOptions {
  branch: string;
  shallow: boolean;
  /** The hosting service's pull requests (`--pull-requests FILE`) and the file's name. */
  pullRequests?: { file: string; records: readonly PullRequestRecord[] };
}

/**
 * The security-relevant files of a log, classified again with the scan's facts (src/evidence/security-files.ts);
 * the log is first built with the file-type and path rules, before the scan has run.
 */
export function withSecurityRelevance(log: ChangeLog, classify: (path: string) => string[]): ChangeLog {
  const commits = log.commits.map((c) => ({
    ...c,
    securityRelevant: c.files.map((path) => ({ path, reasons: classify(path) })).filter((f) => f.reasons.length > 0),
  }));
  const files = new Map<string, { path: string; reasons: string[]; commits: number }>();
  for (const c of commits)
    for (const f of c.securityRelevant) {
      const e = files.get(f.path) ?? { path: f.path, reasons: f.reasons, commits: 0 };
      e.commits++;
      files.set(f.path, e);
    }
  return {
    ...log,
    summary: {
      ...log.summary,
      securityRelevantCommits: commits.filter((c) => c.securityRelevant.length > 0).length,
      securityRelevantFiles: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
    },
    commits,
  };
}

/**
 * Commit subjects, names and file names are written by anyone with push access: a token pasted into a subject
 * (`Rotate key ghp_…`, `set DB_PASSWORD=…`) is masked like any other output (redactSecretsInText).
 */
export function buildChangeLog(
  period: Period,
  head: string,
  commits: readonly GitCommit[],
  options: ChangeLogOptions = { branch: 'HEAD', shallow: false },
): ChangeLog {
  const index = options.pullRequests ? indexPullRequests(options.pullRequests.records) : undefined;
  const classified = commits.map((c) => ({ commit: c, change: classifyChange(c, index?.byCommit, index?.byNumber) }));
  const entries: ChangeLogCommit[] = classified.map(({ commit: { body: _body, ...c }, change }) => ({
    ...c,
    author: redactSecretsInText(c.author),
    authorEmail: redactSecretsInText(c.authorEmail),
    committer: redactSecretsInText(c.committer),
    committerEmail: redactSecretsInText(c.committerEmail),
    subject: redactSecretsInText(c.subject),
    files: c.files.map(redactSecretsInText),
    merge: c.parents.length > 1,
    change: { ...change, reviewers: change.reviewers.map(redactSecretsInText) },
    securityRelevant: c.files.map((path) => ({ path: redactSecretsInText(path), reasons: securityRelevance(path) })).filter((f) => f.reasons.length > 0),
  }));
  const files = new Map<string, { path: string; reasons: string[]; commits: number }>();
  for (const c of entries) {
    for (const f of c.securityRelevant) {
      const e = files.get(f.path) ?? { path: f.path, reasons: f.reasons, commits: 0 };
      e.commits++;
      files.set(f.path, e);
    }
  }
  const redacted = entries.map((e, i) => ({ commit: { ...e, body: '' }, change: classified[i]!.change }));
  return {
    period,
    head,
    branch: options.branch,
    summary: {
      commits: entries.length,
      merges: entries.filter((c) => c.merge).length,
      securityRelevantCommits: entries.filter((c) => c.securityRelevant.length > 0).length,
      authors: unifyAuthors(entries),
      securityRelevantFiles: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
      changeReview: changeReviewFigures(redacted, {
        period,
        branch: options.branch,
        head,
        shallow: options.shallow,
        ...(options.pullRequests ? { pullRequestFile: options.pullRequests.file } : {}),
      }),
    },
    commits: entries,
  };
}
