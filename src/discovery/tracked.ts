import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGit } from '../util/git.js';
import { COMPLIANCEAGENT_IGNORE } from './ignore-rules.js';

/**
 * The files in git's index. A tracked file is published with every clone and push even when a `.gitignore`
 * lists it (`.env.example` added before the ignore line, `git add -f`), so discovery scans it anyway. Only
 * git's own ignore rules give way: `.complianceagentignore`, default excludes and `--exclude` still apply.
 */
export class TrackedFiles {
  private readonly dirs = new Set<string>();

  constructor(private readonly files: ReadonlySet<string>) {
    for (const file of files) {
      for (let cut = file.lastIndexOf('/'); cut > 0; cut = file.lastIndexOf('/', cut - 1)) {
        const dir = file.slice(0, cut);
        if (this.dirs.has(dir)) break;
        this.dirs.add(dir);
      }
    }
  }

  has(rel: string): boolean {
    return this.files.has(rel);
  }

  /**
   * Whether a path ignored by `mark` (the ignore-file line, `source: pattern`) is scanned all the same: the line
   * comes from git's ignore files and the path is a tracked file (or a folder holding one).
   */
  overridesIgnore(mark: string, rel: string, isDir: boolean): boolean {
    const source = mark.slice(0, mark.indexOf(': '));
    if (source === COMPLIANCEAGENT_IGNORE || source.endsWith(`/${COMPLIANCEAGENT_IGNORE}`)) return false;
    return isDir ? this.dirs.has(rel) : this.files.has(rel);
  }
}

/** Time limit of the one `git ls-files` call: a huge index lists in seconds. */
const LS_FILES_TIMEOUT_MS = 60_000;

/**
 * The index of the repository at `repoRoot` (repo-relative POSIX paths), or null when there is no repository
 * there or git cannot list it (not installed, a broken index): discovery then works from ignore files alone.
 */
export async function trackedFiles(repoRoot: string): Promise<TrackedFiles | null> {
  if (!fs.existsSync(path.join(repoRoot, '.git'))) return null;
  try {
    const out = await runGit(repoRoot, ['ls-files', '-z', '--cached', '--full-name'], { timeoutMs: LS_FILES_TIMEOUT_MS });
    return new TrackedFiles(new Set(out.split('\0').filter((p) => p !== '')));
  } catch {
    return null;
  }
}
