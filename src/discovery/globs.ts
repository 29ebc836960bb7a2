import picomatch from 'picomatch';

export interface GlobRule {
  pattern: string;
  /** Whether the rule matches this repo-relative POSIX path itself. */
  test: (path: string, isDir: boolean) => boolean;
  /** The literal folder every match lies in (`src` for `src/**`), or `null` when matches can be anywhere. */
  base: string | null;
}

/**
 * Compiles user include/exclude globs (picomatch, `dot: true`, matched against the repo-relative path).
 * Two gitignore habits users bring along: a trailing `/` (`legacy/`) matches directories only, and a
 * pattern without a slash (`*.spec.ts`, `fixtures`) matches the last path segment at any depth; a leading
 * `/` anchors such a pattern to the repo root instead.
 */
export function compileGlobs(patterns: readonly string[] | undefined): GlobRule[] {
  return (patterns ?? []).filter((pattern) => pattern.trim() !== '').map(compileGlob);
}

function compileGlob(pattern: string): GlobRule {
  let core = pattern.trim().replace(/^\.\//, '');
  const dirOnly = core.endsWith('/');
  core = core.replace(/\/+$/, '');
  const anchored = core.startsWith('/');
  core = core.replace(/^\/+/, '');
  const byName = !anchored && !core.includes('/');
  const isMatch = picomatch(core, { dot: true });
  const base = byName ? '' : picomatch.scan(core).base;
  return {
    pattern,
    base: base === '' ? null : base,
    test: (path, isDir) => {
      if (dirOnly && !isDir) return false;
      return isMatch(byName ? path.slice(path.lastIndexOf('/') + 1) : path);
    },
  };
}

/** The first rule matching the path itself. */
export function matchingGlob(rules: readonly GlobRule[], path: string, isDir: boolean): GlobRule | undefined {
  for (const rule of rules) {
    if (rule.test(path, isDir)) return rule;
  }
  return undefined;
}

/** Whether `path` or one of its ancestor directories matches: include rules name files or whole folders. */
export function matchesWithAncestors(rules: readonly GlobRule[], path: string): boolean {
  if (matchingGlob(rules, path, false)) return true;
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    if (matchingGlob(rules, path.slice(0, slash), true)) return true;
  }
  return false;
}

/**
 * Whether an include rule could match something inside directory `dir`; folders no include can reach are
 * out of scope, so they are neither walked nor reported.
 */
export function couldIncludeBelow(rules: readonly GlobRule[], dir: string): boolean {
  if (rules.length === 0) return true;
  return rules.some(({ base }) => base === null || dir === base || dir.startsWith(`${base}/`) || base.startsWith(`${dir}/`));
}
