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
  /** Author name and email as `.mailmap` maps them (`%aN`, `%aE`). */
  author: string;
  authorEmail: string;
  authorDate: string;
  committer: string;
  committerEmail: string;
  committerDate: string;
  subject: string;
  /** The message after the subject (trailers, `See merge request …`); read, never exported whole. */
  body: string;
  /** Files changed (for a merge: against its first parent). Repo-root-relative POSIX paths, sorted. */
  files: string[];
  /** For a merge: how many commits it brings in from its other parents (`git log ^first other…`). */
  mergedCommits?: number;
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

/** The `--format` of readGitLog: the body is closed by a field separator so the file names after it stay apart. */
export function logFormat(separators: LogSeparators): string {
  const F = separators.field;
  return `${separators.record}%H${F}%P${F}%aN${F}%aE${F}%aI${F}%cN${F}%cE${F}%cI${F}%s${F}%b${F}`;
}

/** Parses `git log --format=<logFormat> --name-only` output. Exported for tests. */
export function parseGitLog(output: string, separators: LogSeparators): GitCommit[] {
  const { record: RECORD, field: FIELD } = separators;
  return output
    .split(RECORD)
    .filter((r) => r.trim() !== '')
    .map((record) => {
      const [
        hash = '',
        parents = '',
        author = '',
        authorEmail = '',
        authorDate = '',
        committer = '',
        committerEmail = '',
        committerDate = '',
        subject = '',
        body = '',
        rest = '',
      ] = record.split(FIELD);
      const files = [
        ...new Set(
          rest
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l !== ''),
        ),
      ].sort();
      return {
        hash,
        parents: parents.split(' ').filter(Boolean),
        author,
        authorEmail,
        authorDate,
        committer,
        committerEmail,
        committerDate,
        subject,
        body: body.trim(),
        files,
      };
    });
}

/**
 * The changes made to the branch at `rev` (HEAD) whose committer date lies in [since, until] (ISO instants),
 * newest first: its first-parent history, so a merged branch is one change (its merge) and the commits made on
 * the branch before it was merged are not counted as changes to the main line. Each with the files it changed
 * against its first parent; authors mapped through `.mailmap`.
 */
export async function readGitLog(dir: string, since: string, until: string, rev = 'HEAD'): Promise<GitCommit[]> {
  const separators = logSeparators();
  const out = await new Git(dir).run([
    'log',
    '--first-parent',
    `--since=${since}`,
    `--until=${until}`,
    `--format=${logFormat(separators)}`,
    '--name-only',
    '--diff-merges=first-parent',
    '--no-renames',
    rev,
    '--',
  ]);
  return parseGitLog(out, separators);
}

/** True when the repository is a shallow clone (its history, and so the change log, is cut off). */
export async function isShallowRepository(dir: string): Promise<boolean> {
  return (await new Git(dir).run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/**
 * The commits each merge brings in from its other parents: made off the first-parent line, so not changes of the
 * log one by one. A merge of the remote branch into its local copy (`git pull`) brings in commits that were already
 * on the branch; a merge of `develop` into `master`, the commits made there.
 */
export async function countMergedCommits(dir: string, commits: readonly GitCommit[]): Promise<GitCommit[]> {
  const git = new Git(dir);
  const out: GitCommit[] = [];
  for (const c of commits) {
    if (c.parents.length < 2) {
      out.push(c);
      continue;
    }
    // `git log` lists them (the safe runner allows log, not rev-list): one hash a line.
    const hashes = (await git.run(['log', '--format=%H', `^${c.parents[0]}`, ...c.parents.slice(1), '--']))
      .split('\n')
      .filter((l) => /^[0-9a-f]{40,64}$/.test(l));
    out.push({ ...c, mergedCommits: hashes.length });
  }
  return out;
}
