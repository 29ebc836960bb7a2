import type { Language } from '../model/facts.js';
import { detectByName } from '../languages/index.js';

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
  return detectByName(lower);
}
