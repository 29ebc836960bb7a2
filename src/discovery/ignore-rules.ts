import ignore from 'ignore';

export type IgnoreMatcher = ignore.Ignore;

/** Read in each directory; a later file overrides an earlier one at the same level. */
export const GITIGNORE = '.gitignore';
export const COMPLIANCEAGENT_IGNORE = '.complianceagentignore';

// Git sets core.ignorecase on case-insensitive file systems (macOS, Windows) when it creates a repository.
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * Rewrites one line of an ignore file in directory `base` (repo-relative POSIX, '' for the repo root) into
 * a rule relative to the repo root, or `null` for blank lines and comments. Git's rules: a pattern with a
 * slash before its end is anchored to its file's directory, one without matches at any depth below it.
 */
export function rebasePattern(line: string, base: string): string | null {
  const trimmed = line.replace(/\r$/, '').replace(/(?<!\\)[ \t]+$/, '');
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  if (base === '') return trimmed;
  const negative = trimmed.startsWith('!');
  const body = negative ? trimmed.slice(1) : trimmed;
  if (body === '' || body === '/') return null;
  const prefix = escapeGlob(base);
  const anchored = body.replace(/\/+$/, '').includes('/');
  const rebased = anchored ? `${prefix}/${body.replace(/^\//, '')}` : `${prefix}/**/${body}`;
  return negative ? `!${rebased}` : rebased;
}

function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, '\\$&').replace(/ /g, '\\ ');
}

/**
 * One matcher per directory chain: the parent's rules followed by this directory's, so deeper files win
 * (last match wins) and a negation can re-include what a shallower file excluded, exactly like git. Sibling
 * directories never see each other's rules. `source` (repo-relative path of the ignore file) travels with
 * each rule so a skip can say which file and line excluded it.
 */
export function extendIgnore(parent: IgnoreMatcher | undefined, text: string, source: string, base: string): IgnoreMatcher | undefined {
  const rules: ignore.PatternParams[] = [];
  for (const line of text.split('\n')) {
    const pattern = rebasePattern(line, base);
    if (pattern !== null) rules.push({ pattern, mark: `${source}: ${line.trim()}` });
  }
  if (rules.length === 0) return parent;
  const matcher = ignore({ ignorecase: IGNORE_CASE });
  if (parent) matcher.add(parent);
  return matcher.add(rules);
}

/** The ignore-file line that ignores `path` (repo-relative; directories are tested with a trailing `/`). */
export function ignoredBy(matcher: IgnoreMatcher | undefined, path: string, isDir: boolean): string | null {
  if (!matcher) return null;
  const result = matcher.test(isDir ? `${path}/` : path);
  return result.ignored ? (result.rule?.mark ?? 'ignore file') : null;
}
