import type { Language } from '../model/facts.js';

/**
 * Lockfiles are generated data: hashes and registry URLs, never hand-written configuration. Some carry a
 * config extension (`package-lock.json`, `pnpm-lock.yaml`), so they are named here and detect as `null`.
 */
export const LOCKFILE_NAMES: ReadonlySet<string> = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'composer.lock',
  'Gemfile.lock',
  'Cargo.lock',
  'go.sum',
]);

const EXTENSION_LANGUAGES: ReadonlyMap<string, Language> = new Map([
  ['.js', 'javascript'],
  ['.jsx', 'javascript'],
  ['.mjs', 'javascript'],
  ['.cjs', 'javascript'],
  ['.ts', 'typescript'],
  ['.tsx', 'typescript'],
  ['.mts', 'typescript'],
  ['.cts', 'typescript'],
  ['.py', 'python'],
  // Config formats that can carry credentials.
  ['.env', 'config'],
  ['.yml', 'config'],
  ['.yaml', 'config'],
  ['.json', 'config'],
  ['.ini', 'config'],
  ['.cfg', 'config'],
  ['.conf', 'config'],
  ['.properties', 'config'],
  ['.toml', 'config'],
  ['.dockerfile', 'config'],
  ['.prisma', 'config'],
]);

/** Whole (lower-cased) file names that are config without a telling extension. */
const CONFIG_NAMES: ReadonlySet<string> = new Set(['.env', 'dockerfile', '.npmrc', '.pypirc', '.netrc']);

/** Lower-cased name prefixes: `.env.production`, `Dockerfile.prod`. */
const CONFIG_PREFIXES = ['.env.', 'dockerfile.'] as const;

/**
 * The language a file is scanned as, from its name alone (the part after the last `/`, or `\` on Windows), or `null`
 * when the file is not source we scan. Type declarations (`.d.ts`) and minified bundles still detect as
 * their language; discovery excludes them separately (see default-excludes.ts) so that the skip is reported.
 */
export function detectLanguage(path: string): Language | null {
  // `\` separates folders only on Windows: on POSIX it is part of a name (`a\.js` is a JavaScript file).
  const cut = process.platform === 'win32' ? Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) : path.lastIndexOf('/');
  const name = path.slice(cut + 1);
  if (name === '' || LOCKFILE_NAMES.has(name)) return null;
  const lower = name.toLowerCase();
  if (CONFIG_NAMES.has(lower) || CONFIG_PREFIXES.some((prefix) => lower.startsWith(prefix))) return 'config';
  const dot = lower.lastIndexOf('.');
  // A leading dot alone marks a dotfile, not an extension (`.eslintrc` has none; `.env` is named above).
  if (dot <= 0) return null;
  return EXTENSION_LANGUAGES.get(lower.slice(dot)) ?? null;
}
