import { randomBytes } from 'node:crypto';
import { Git } from '../util/git.js';

/**
 * Git facts for the evidence: every call goes through src/util/git.ts, which runs git without a shell and with
 * the scanned repository's configuration neutralised (no fsmonitor, hooks, filters, pager, external diff).
 */

export { GitError } from '../util/git.js';

export interface GitInfo {
  /** Absolute path of the work tree's top level. */
  topLevel: string;
  /** Full commit hash of HEAD; undefined in a repository without commits. */
  commit?: string;
  /** Branch name, or 'HEAD' when detached. */
  branch?: string;
  /** Committer date of HEAD, ISO 8601 with offset. */
  commitDate?: string;
  /** True when tracked files differ from HEAD (the evidence then describes a work tree, not a commit). */
  dirty: boolean;
}

/** Git facts about the repository holding `dir`; undefined when `dir` is not inside a git work tree (or git is missing). */
export async function readGitInfo(dir: string): Promise<GitInfo | undefined> {
  const git = new Git(dir);
  let topLevel: string;
  try {
    topLevel = (await git.run(['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return undefined;
  }
  const info: GitInfo = { topLevel, dirty: false };
  try {
    const [commit, date] = (await git.run(['log', '-1', '--format=%H%n%cI'])).trim().split('\n');
    if (commit) info.commit = commit;
    if (date) info.commitDate = date;
    info.branch = (await git.run(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
    info.dirty = (await git.run(['status', '--porcelain', '--untracked-files=no'])).trim() !== '';
  } catch {
    // A repository without commits: no HEAD yet.
  }
  return info;
}

export interface GitCommit {
  hash: string;
  parents: string[];
  author: string;
  authorEmail: string;
  authorDate: string;
  committer: string;
  committerDate: string;
  subject: string;
  /** Files changed (for a merge: against its first parent). Repo-root-relative POSIX paths, sorted. */
  files: string[];
}

/** Record and field separators of the log format: control characters plus a nonce. */
export interface LogSeparators {
  record: string;
  field: string;
}

/**
 * Separators no commit can contain: names and subjects are written by whoever made the commit, and a commit
 * object may hold any byte, so a fixed separator in a subject could forge a commit or shift the dates.
 */
export function logSeparators(): LogSeparators {
  const nonce = randomBytes(12).toString('hex');
  return { record: `\u001e${nonce}\u001e`, field: `\u001f${nonce}\u001f` };
}

/** Parses `git log --format=<record>%H<field>%P… --name-only` output. Exported for tests. */
export function parseGitLog(output: string, separators: LogSeparators): GitCommit[] {
  const { record: RECORD, field: FIELD } = separators;
  return output
    .split(RECORD)
    .filter((r) => r.trim() !== '')
    .map((record) => {
      const [header = '', ...rest] = record.split('\n');
      const [hash = '', parents = '', author = '', authorEmail = '', authorDate = '', committer = '', committerDate = '', subject = ''] = header.split(FIELD);
      const files = [...new Set(rest.map((l) => l.trim()).filter((l) => l !== ''))].sort();
      return { hash, parents: parents.split(' ').filter(Boolean), author, authorEmail, authorDate, committer, committerDate, subject, files };
    });
}

/**
 * Commits reachable from HEAD whose committer date lies in [since, until] (ISO instants), newest first, with
 * the files each changed. Merge commits are listed with their changes against the first parent.
 */
export async function readGitLog(dir: string, since: string, until: string): Promise<GitCommit[]> {
  const separators = logSeparators();
  const { record: RECORD, field: FIELD } = separators;
  const format = `${RECORD}%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%cn${FIELD}%cI${FIELD}%s`;
  const out = await new Git(dir).run([
    'log',
    `--since=${since}`,
    `--until=${until}`,
    `--format=${format}`,
    '--name-only',
    '--diff-merges=first-parent',
    '--no-renames',
    'HEAD',
    '--',
  ]);
  return parseGitLog(out, separators);
}
