import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git, GitError } from '../util/git.js';
import { type Period, periodInstants } from './change-log.js';

/**
 * The tree of a past commit, for `evidence export` / `report generate` / `controls test` over a past period.
 * Never a checkout, a worktree or `git archive`: git lists the tree (`ls-tree`) and hands over raw blob bytes
 * (`cat-file --batch`, no filters, no textconv) through the hardened runner, and this module writes them into
 * a private temporary folder (0700) itself. So no hook, smudge/clean filter, `export-ignore`/`export-subst`
 * attribute or other program named by the scanned repository runs, and nothing the tree holds can escape the
 * folder: only regular files are written (no symbolic link, no submodule), and a path with an empty, `.`, `..`
 * or `.git` part is skipped.
 */

export interface CommitTree {
  /** The temporary folder holding the commit's files (remove it with `remove`). */
  dir: string;
  commit: string;
  /** Regular files written. */
  files: number;
  /** Entries not written: symbolic links, submodules, unsafe paths, blobs the clone lacks (partial clone). */
  skipped: { symlinks: number; submodules: number; unsafePaths: number; missing: number };
  remove(): Promise<void>;
}

/** Bytes of blob content asked of one `cat-file --batch` call (bounded memory on a large tree). */
const BATCH_BYTES = 32 * 1024 * 1024;

/**
 * The commit a ref names, as a full hash; a GitError naming the ref when it names none. A ref that could be
 * read as an option is refused before git sees it.
 */
export async function resolveCommit(topLevel: string, ref: string): Promise<string> {
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref)) throw new GitError(`not a commit: '${ref}'`);
  try {
    return (await new Git(topLevel).run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch {
    throw new GitError(`not a commit in this repository: '${ref}'`);
  }
}

/**
 * The last commit of the period on the branch at `rev`: the newest first-parent commit committed on or before
 * the period's end (the state of the branch when the period closed); undefined when the branch has none yet.
 */
export async function lastCommitOfPeriod(topLevel: string, period: Period, rev = 'HEAD'): Promise<string | undefined> {
  const out = await new Git(topLevel).run(['log', '--first-parent', '-1', `--until=${periodInstants(period).until}`, '--format=%H', rev, '--']);
  return out.trim() || undefined;
}

/** Committer date (ISO 8601) of a commit: the date of evidence that describes it. */
export async function commitDate(topLevel: string, commit: string): Promise<string> {
  return (await new Git(topLevel).run(['log', '-1', '--format=%cI', commit, '--'])).trim();
}

interface TreeEntry {
  mode: string;
  type: string;
  id: string;
  size: number;
  path: string;
}

/** Parses `ls-tree -r -z --full-tree -l` output. Exported for tests. */
export function parseLsTree(out: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', id = '', size = ''] = record.slice(0, tab).trim().split(/\s+/);
    entries.push({ mode, type, id, size: Number(size) || 0, path: record.slice(tab + 1) });
  }
  return entries;
}

/** True when a tree path can be written under the folder as it is: relative, no empty, `.`, `..` or `.git` part. */
export function isSafeTreePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[a-zA-Z]:/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part.toLowerCase() !== '.git');
}

/**
 * Writes the tree of `commit` into a new private temporary folder. The folder also gets an empty `.git` file,
 * so the scan treats it as a repository root (paths relative to it, `.github/` read there); git itself cannot
 * use it (an empty gitfile is refused), so no git call ever runs inside the extracted tree.
 */
export async function extractCommitTree(topLevel: string, commit: string): Promise<CommitTree> {
  const git = new Git(topLevel);
  const entries = parseLsTree(await git.run(['ls-tree', '-r', '-z', '--full-tree', '-l', commit]));
  const dir = await mkdtemp(join(tmpdir(), 'complianceagent-commit-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const skipped = { symlinks: 0, submodules: 0, unsafePaths: 0, missing: 0 };
  try {
    const blobs: TreeEntry[] = [];
    for (const e of entries) {
      if (e.type === 'commit') skipped.submodules++;
      else if (e.mode === '120000') skipped.symlinks++;
      else if (e.type !== 'blob' || !/^[0-9a-f]{40,64}$/.test(e.id)) skipped.unsafePaths++;
      else if (!isSafeTreePath(e.path)) skipped.unsafePaths++;
      else blobs.push(e);
    }
    const made = new Set<string>();
    let written = 0;
    for (let i = 0; i < blobs.length; ) {
      const batch: TreeEntry[] = [];
      let bytes = 0;
      while (i < blobs.length && (batch.length === 0 || bytes + blobs[i]!.size <= BATCH_BYTES)) {
        bytes += blobs[i]!.size;
        batch.push(blobs[i++]!);
      }
      const out = await git.runBytes(['cat-file', '--batch'], batch.map((e) => `${e.id}\n`).join(''), { maxBuffer: bytes + batch.length * 128 + 1024 });
      let at = 0;
      for (const e of batch) {
        const eol = out.indexOf(10, at);
        const header = out.subarray(at, eol).toString('latin1').split(' ');
        if (header[0] === e.id && header[1] === 'missing') {
          // A partial or damaged clone lacks the object: `<id> missing`, no content.
          skipped.missing++;
          at = eol + 1;
          continue;
        }
        if (header[0] !== e.id || header[1] !== 'blob') throw new GitError(`git cat-file did not return blob ${e.id}`);
        const size = Number(header[2]);
        const data = out.subarray(eol + 1, eol + 1 + size);
        at = eol + 1 + size + 1;
        const parts = e.path.split('/');
        const parent = join(dir, ...parts.slice(0, -1));
        if (parts.length > 1 && !made.has(parent)) {
          // A folder where the tree already put a file cannot be made: that entry is skipped below.
          if (
            await mkdir(parent, { recursive: true, mode: 0o700 }).then(
              () => true,
              () => false,
            )
          )
            made.add(parent);
        }
        // flag 'wx': never through an existing entry (a second path differing only in case on a case-folding disk).
        await writeFile(join(dir, ...parts), data, { mode: 0o600, flag: 'wx' }).then(
          () => written++,
          () => skipped.unsafePaths++,
        );
      }
    }
    await writeFile(join(dir, '.git'), '', { mode: 0o600 });
    return { dir, commit, files: written, skipped, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
