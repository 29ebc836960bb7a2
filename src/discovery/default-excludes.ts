import { LOCKFILE_NAMES } from './languages.js';

/**
 * Directories never descended into below the scan root: dependencies, build output, caches, VCS data.
 * Each is reported once as skipped (`excluded`, detail `default: <name>`). Any directory holding a
 * `pyvenv.cfg` (a virtualenv under whatever name, `env` included) is excluded as `default: virtualenv`.
 */
export const DEFAULT_EXCLUDED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  // Installed Python packages (pyenv/system interpreters, not only virtualenvs): dependencies, like node_modules.
  'site-packages',
  'dist-packages',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  'coverage',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  'vendor',
  'third_party',
  'bower_components',
  '.terraform',
  '.complianceagent-cache',
]);

/** The file whose presence marks a Python virtualenv. */
export const VIRTUALENV_MARKER = 'pyvenv.cfg';

export interface FileExclusion {
  detail: string;
  matches: (name: string) => boolean;
}

/** Files excluded by name, tested in order; the first match names the reason. */
export const DEFAULT_FILE_EXCLUSIONS: readonly FileExclusion[] = [
  { detail: 'default: lockfile', matches: (name) => LOCKFILE_NAMES.has(name) },
  // Declarations describe types only; there is no runtime code in them to flag.
  { detail: 'default: type declaration', matches: (name) => /\.d\.[cm]?ts$/i.test(name) },
  { detail: 'default: minified', matches: (name) => /(?:\.min\.[cm]?js|-min\.js|\.bundle\.js)$/i.test(name) },
  { detail: 'default: source map', matches: (name) => /\.[a-z0-9]+\.map$/i.test(name) },
];

/** The `default: …` detail when a file name is excluded by default, else `null`. */
export function defaultFileExclusion(name: string): string | null {
  return DEFAULT_FILE_EXCLUSIONS.find((exclusion) => exclusion.matches(name))?.detail ?? null;
}

const MINIFIED_HEAD_BYTES = 4096;
const MINIFIED_MIN_HEAD = 1024;
const MINIFIED_LONG_LINE = 1000;
const MINIFIED_BYTES_PER_NEWLINE = 300;

/**
 * Whether a JavaScript file's head looks minified: at least 1 KB, a line of 1000+ characters, and fewer
 * than one newline per 300 bytes (hand-written code averages well under 100). A file with one long
 * embedded string but ordinary code around it has too many newlines to qualify; when in doubt the file is
 * scanned, since a missed minified bundle costs time while a wrongly skipped source file hides findings.
 */
export function looksMinified(head: Uint8Array): boolean {
  const length = Math.min(head.length, MINIFIED_HEAD_BYTES);
  if (length < MINIFIED_MIN_HEAD) return false;
  let newlines = 0;
  let lineStart = 0;
  let longest = 0;
  for (let i = 0; i < length; i++) {
    if (head[i] === 0x0a) {
      newlines++;
      longest = Math.max(longest, i - lineStart);
      lineStart = i + 1;
    }
  }
  longest = Math.max(longest, length - lineStart);
  return longest >= MINIFIED_LONG_LINE && newlines * MINIFIED_BYTES_PER_NEWLINE < length;
}
