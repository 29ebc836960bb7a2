import { UsageError } from '../errors.js';
import { Git, GitError } from '../util/git.js';

/** Per repo-relative path: the changed (new-side) line numbers, or 'all' for a new untracked file. */
export type ChangedLines = Map<string, Set<number> | 'all'>;

export interface ChangedSince {
  ref: string;
  /** The commit compared against: the merge base of ref and HEAD (or ref itself when there is none). */
  base: string;
  lines: ChangedLines;
}

type GitResult = { ok: true; out: string } | { ok: false; err: string };

/** Runs git through the safe runner (src/util/git.ts); a missing git or a call that hangs is a usage error. */
async function git(runner: Git, args: string[]): Promise<GitResult> {
  try {
    return { ok: true, out: await runner.run(args, { maxBuffer: 512 * 1024 * 1024 }) };
  } catch (error) {
    if (error instanceof GitError && error.code === 'ENOENT') throw new UsageError('--changed-since needs git, which was not found on PATH');
    if (error instanceof GitError && error.code === 'TIMEOUT') throw new UsageError(`--changed-since: ${error.message}`);
    return { ok: false, err: (error as Error).message.trim() };
  }
}

/**
 * Lines changed since `ref` in the working tree of the repository at `repoRoot`: committed, staged and unstaged
 * changes since the merge base of ref and HEAD (what a pull request shows), plus untracked files as a whole.
 * A missing ref, in particular in a shallow clone, is a usage error that says how to fetch it.
 */
export async function changedLinesSince(repoRoot: string, ref: string): Promise<ChangedSince> {
  const runner = new Git(repoRoot);
  const inside = await git(runner, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok) throw new UsageError(`--changed-since needs a git repository; ${repoRoot} is not one`, 'scan a git checkout, or drop --changed-since');
  const isShallow = await isShallowRepo(runner);
  const resolved = await git(runner, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (!resolved.ok) {
    const shown = refForMessage(ref);
    const branch = shellSafeRef(ref.replace(/^(refs\/remotes\/)?origin\//, ''));
    if (isShallow) {
      throw new UsageError(
        `--changed-since: '${shown}' is not in this clone, which is shallow (it holds only the latest commits)`,
        branch
          ? `fetch it first: git fetch --no-tags --depth=100 origin ${branch}:refs/remotes/origin/${branch} (or check out with full history, e.g. actions/checkout with fetch-depth: 0)`
          : 'fetch the branch first (git fetch --no-tags --depth=100 origin <branch>), or check out with full history, e.g. actions/checkout with fetch-depth: 0',
      );
    }
    throw new UsageError(
      `--changed-since: '${shown}' is not a commit, branch or tag in this repository`,
      branch ? `check the name, or fetch it: git fetch origin ${branch}` : 'check the name, or fetch the branch: git fetch origin <branch>',
    );
  }
  const commit = resolved.out.trim();
  const mergeBase = await git(runner, ['merge-base', commit, 'HEAD']);
  if (!mergeBase.ok && isShallow) {
    throw new UsageError(
      `--changed-since: this shallow clone does not reach the common ancestor of '${refForMessage(ref)}' and HEAD`,
      'fetch more history: git fetch --deepen=200 (repeat as needed), or use full history (actions/checkout with fetch-depth: 0)',
    );
  }
  const base = mergeBase.ok ? mergeBase.out.trim() : commit;
  const diff = await git(runner, ['diff', '--no-color', '--no-ext-diff', '--unified=0', '--src-prefix=a/', '--dst-prefix=b/', '-M', base, '--']);
  if (!diff.ok) throw new UsageError(`--changed-since: git diff failed: ${diff.err.split('\n')[0]}`);
  const lines = parseUnifiedDiff(diff.out);
  const untracked = await git(runner, ['ls-files', '--others', '--exclude-standard', '-z']);
  if (untracked.ok) for (const path of untracked.out.split('\0').filter(Boolean)) lines.set(path, 'all');
  return { ref, base, lines };
}

/**
 * The ref when it is a plain branch name that a shell reads as one word and git as a name (letters, digits and
 * `._/-`, not starting with `-` or `.`, no `..`); else undefined, and hints then do not repeat it: pasting a
 * hint must never run something the ref smuggled in (`x;rm -rf ~`, `$(…)`, `--upload-pack=…`).
 */
export function shellSafeRef(ref: string): string | undefined {
  if (ref.length === 0 || ref.length > 200) return undefined;
  if (!/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/.test(ref)) return undefined;
  if (ref.includes('..') || ref.includes('//') || ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')) return undefined;
  return ref;
}

/** The ref as shown in a message: control characters escaped (no terminal escape sequences), cut when long. */
export function refForMessage(ref: string): string {
  const escaped = ref.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 120 ? `${escaped.slice(0, 120)}…` : escaped;
}

async function isShallowRepo(runner: Git): Promise<boolean> {
  const r = await git(runner, ['rev-parse', '--is-shallow-repository']);
  return r.ok && r.out.trim() === 'true';
}

function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  try {
    return JSON.parse(path) as string;
  } catch {
    return path.slice(1, -1);
  }
}

/** New-side line numbers of every hunk of a `git diff --unified=0` output, by new path. */
export function parseUnifiedDiff(diff: string): ChangedLines {
  const changed: ChangedLines = new Map();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      if (target === '/dev/null') {
        current = undefined;
        continue;
      }
      const path = unquote(target).replace(/^b\//, '');
      current = new Set();
      changed.set(path, current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let n = start; n < start + count; n++) current.add(n);
    }
  }
  return changed;
}

/** True when the range [startLine, endLine] of `path` touches a changed line. */
export function touchesChange(changed: ChangedLines, path: string, startLine: number, endLine: number): boolean {
  const lines = changed.get(path);
  if (!lines) return false;
  if (lines === 'all') return true;
  for (let n = startLine; n <= Math.max(startLine, endLine); n++) if (lines.has(n)) return true;
  return false;
}
