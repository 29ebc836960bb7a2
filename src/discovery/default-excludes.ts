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

const MINIFIED_MIN_BYTES = 1024;
/** A line at least this long is packed code (minifiers put whole modules on one line). */
export const MINIFIED_LONG_LINE = 1000;

/**
 * Short lines a minified bundle carries besides its packed lines and comments: bare punctuation (`})();`), a
 * wrapper's opening and closing lines (`(function (root, factory) {`, `(() => {`, `})(this);`) and a `"use strict"`
 * directive. None of them can hold a string or a call, so none can hide code. The patterns never backtrack more
 * than linearly (no two adjacent quantifiers over the same characters).
 */
const FRAME_PUNCTUATION = /^[\s;(){}[\],!.~+-]*$/;
const FRAME_OPENER = /^[!;(~+-]{0,3}\s*(?:(?:async\s+)?function\s*(?:\*\s*)?(?:[\w$]+\s*)?\([\w$\s,]*\)|\([\w$\s,]*\)\s*=>)\s*\{\s*$/;
const FRAME_CLOSER = /^[\s;(){}[\],!.~+-]*\b(?:this|window|self|globalThis)\b[\s;(){}[\],!.~+-]*$/;
const USE_STRICT = /^(['"])use strict\1;?$/;

function isBundleFrame(code: string): boolean {
  return FRAME_PUNCTUATION.test(code) || FRAME_OPENER.test(code) || FRAME_CLOSER.test(code) || USE_STRICT.test(code);
}

/**
 * Whether a whole JavaScript file is a minified bundle: at least 1 KB, at least one code line of 1000+ characters,
 * and nothing else but blank lines, comments (license banners, `//# sourceMappingURL=`) and bundle frame lines.
 * One ordinary short line of code is enough to scan the file: hand-written code with a long line (an inlined
 * image, a padding comment, a long string put first to look minified) is always scanned. When in doubt the file
 * is scanned, since a missed minified bundle costs time (bounded by the per-file budget) while a wrongly skipped
 * source file hides findings.
 */
export function looksMinified(text: string): boolean {
  return text.length >= MINIFIED_MIN_BYTES && shape(text, false) === 'packed';
}

/** Vite/Rollup `[name]-[hash].js`: 8 base64url characters with a digit, or upper and lower case (`-Bdt6IdtL`, `-CBfzcasR`). */
const ROLLUP_CHUNK = /-([A-Za-z0-9_-]{8})\.[cm]?js$/;
/** Webpack and Vite 2–3 `[name].[contenthash].js`: 8–20 hex digits with at least one digit (`.128204f2`), `.chunk.js` too. */
const HEX_CHUNK = /\.([0-9a-f]{8,20})(?:\.chunk)?\.[cm]?js$/;

/** Whether a file name carries a bundler's content hash, the way built chunks are named. A name alone skips nothing. */
export function looksLikeChunkName(name: string): boolean {
  const rollup = ROLLUP_CHUNK.exec(name)?.[1];
  if (rollup && (/\d/.test(rollup) || (/[a-z]/.test(rollup) && /[A-Z]/.test(rollup)))) return true;
  const hex = HEX_CHUNK.exec(name)?.[1];
  return !!hex && /\d/.test(hex);
}

/** Share of a built chunk's non-blank characters that must sit on packed lines (1000+ characters). */
export const CHUNK_PACKED_SHARE = 0.9;

/**
 * Whether a file with a chunk name (see looksLikeChunkName) is bundler output: at least 1 KB and at least 90 % of its
 * non-blank characters on packed lines. Bundlers keep the newlines of template literals and license comments that
 * open in the middle of a packed line, so a chunk has short lines that are not code (CSS in a template, a banner);
 * the stricter looksMinified, meant for any name, scans such a file. Hand-written code with a hashed-looking name
 * is short-lined and stays scanned.
 */
export function looksLikeBuiltChunk(text: string): boolean {
  if (text.length < MINIFIED_MIN_BYTES) return false;
  let packed = 0;
  let total = 0;
  for (const line of text.split('\n')) {
    const length = line.trim().length;
    total += length;
    if (length >= MINIFIED_LONG_LINE) packed += length;
  }
  return total > 0 && packed >= total * CHUNK_PACKED_SHARE;
}

/**
 * Whether the first bytes of a JavaScript file (decoded) rule out a minified bundle: they hold an ordinary line of
 * code. Only when they do not does the whole file need reading to decide.
 */
export function headRulesOutMinified(head: string, truncated: boolean): boolean {
  return shape(head, truncated) === 'ordinary';
}

/** 'ordinary' at the first ordinary short line of code; else 'packed' if a long code line was seen. */
function shape(text: string, truncated: boolean): 'ordinary' | 'packed' | 'undecided' {
  let packed = false;
  let inComment = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) {
      // The unfinished last line of a head may go on beyond it: it decides nothing.
      if (truncated) break;
      end = text.length;
    }
    let line = text.slice(start, end);
    start = end + 1;
    if (inComment) {
      const close = line.indexOf('*/');
      if (close < 0) continue;
      inComment = false;
      line = line.slice(close + 2);
    }
    // Leading block comments closed on the line (`/*! v1 */ code`): the code after them is what counts.
    let code = line.trim();
    while (code.startsWith('/*')) {
      const close = code.indexOf('*/', 2);
      if (close < 0) {
        inComment = true;
        code = '';
        break;
      }
      code = code.slice(close + 2).trim();
    }
    if (code === '' || code.startsWith('//')) continue;
    if (code.length >= MINIFIED_LONG_LINE) {
      // A template literal or a `\`-continued string left open would make the next lines text that merely looks
      // like comments here: code could hide behind them, so such a file is scanned.
      if (code.endsWith('\\') || (code.split('`').length - 1) % 2 === 1) return 'ordinary';
      packed = true;
    } else if (!isBundleFrame(code)) return 'ordinary';
  }
  return packed ? 'packed' : 'undecided';
}
