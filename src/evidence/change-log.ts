import { UsageError } from '../errors.js';
import { securityRelevance } from '../controls/evidence-signals.js';
import type { GitCommit } from './git.js';
import { redactSecretsInText } from './redact.js';

/** The change log for an audit period (CC8.1): commits with author, date and files, merges, security-relevant changes. */

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

export interface ChangeLogCommit extends GitCommit {
  merge: boolean;
  /** Changed files that matter for security and change management, with why. */
  securityRelevant: Array<{ path: string; reasons: string[] }>;
}

export interface ChangeLog {
  period: Period;
  /** The commit the log was read from (HEAD). */
  head: string;
  summary: {
    commits: number;
    merges: number;
    securityRelevantCommits: number;
    authors: Array<{ name: string; email: string; commits: number }>;
    /** Security-relevant files changed in the period, with how many commits touched each. */
    securityRelevantFiles: Array<{ path: string; reasons: string[]; commits: number }>;
  };
  commits: ChangeLogCommit[];
}

/**
 * Commit subjects, names and file names are written by anyone with push access: a token pasted into a subject
 * (`Rotate key ghp_…`, `set DB_PASSWORD=…`) is masked like any other output (redactSecretsInText).
 */
export function buildChangeLog(period: Period, head: string, commits: readonly GitCommit[]): ChangeLog {
  const entries: ChangeLogCommit[] = commits.map((c) => ({
    ...c,
    author: redactSecretsInText(c.author),
    committer: redactSecretsInText(c.committer),
    subject: redactSecretsInText(c.subject),
    files: c.files.map(redactSecretsInText),
    merge: c.parents.length > 1,
    securityRelevant: c.files.map((path) => ({ path: redactSecretsInText(path), reasons: securityRelevance(path) })).filter((f) => f.reasons.length > 0),
  }));
  const authors = new Map<string, { name: string; email: string; commits: number }>();
  const files = new Map<string, { path: string; reasons: string[]; commits: number }>();
  for (const c of entries) {
    const key = `${c.author}\0${c.authorEmail}`;
    const a = authors.get(key) ?? { name: c.author, email: c.authorEmail, commits: 0 };
    a.commits++;
    authors.set(key, a);
    for (const f of c.securityRelevant) {
      const e = files.get(f.path) ?? { path: f.path, reasons: f.reasons, commits: 0 };
      e.commits++;
      files.set(f.path, e);
    }
  }
  return {
    period,
    head,
    summary: {
      commits: entries.length,
      merges: entries.filter((c) => c.merge).length,
      securityRelevantCommits: entries.filter((c) => c.securityRelevant.length > 0).length,
      authors: [...authors.values()].sort((a, b) => b.commits - a.commits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      securityRelevantFiles: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
    },
    commits: entries,
  };
}
