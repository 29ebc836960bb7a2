import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SkippedFile, SkipReason } from '../types.js';
import type { Language } from '../model/facts.js';
import {
  DEFAULT_EXCLUDED_DIRS,
  VIRTUALENV_MARKER,
  defaultFileExclusion,
  headRulesOutMinified,
  looksLikeBuiltChunk,
  looksLikeChunkName,
  looksMinified,
} from './default-excludes.js';
import { compileGlobs, couldIncludeBelow, matchesWithAncestors, matchingGlob, type GlobRule } from './globs.js';
import { COMPLIANCEAGENT_IGNORE, GITIGNORE, extendIgnore, ignoredBy, type IgnoreMatcher } from './ignore-rules.js';
import { detectLanguage } from './languages.js';
import { decodeSource, looksBinary, readRegularFile, readRegularHead, sniffEncoding } from './text.js';
import { checkIncludePatterns } from './include-check.js';
import { trackedFiles, type TrackedFiles } from './tracked.js';

export { detectLanguage };

export const DEFAULT_MAX_FILE_BYTES = 1_000_000;
const HEAD_BYTES = 8192;
/** Beyond this an ignore file is not read (an error says so): nobody writes 10 MB of patterns by hand. */
const MAX_IGNORE_FILE_BYTES = 10_000_000;

export interface DiscoveryOptions {
  /** Globs (picomatch, repo-relative POSIX path); if given, only matching files are scanned. */
  include?: string[];
  /** Globs; matching files and directories are skipped as `excluded`. Exclude wins over include. */
  exclude?: string[];
  /** Default 1_000_000; larger files are skipped as `too-large`. */
  maxFileBytes?: number;
  /** Default true. `.complianceagentignore` files are honoured either way. */
  respectGitignore?: boolean;
}

export interface DiscoveredFile {
  /** Repo-root-relative POSIX path. */
  path: string;
  absPath: string;
  size: number;
  language: Language;
  /**
   * The whole file when discovery read all of it (files under HEAD_BYTES, read with readRegularFile's guards to
   * sniff binary and minified content): the scan takes it instead of reading the file a second time.
   */
  content?: Buffer;
}

/** A directory or file that could not be read; the scan reports these as read errors. */
export interface DiscoveryReadError {
  /** Repo-root-relative POSIX path; directories end in `/`. */
  path: string;
  message: string;
}

export interface Discovery {
  /** Absolute scan root. */
  root: string;
  /** Absolute repository root (see findRepoRoot). */
  repoRoot: string;
  /** POSIX path of root relative to repoRoot, '' if the same. */
  repoPrefix: string;
  /** Sorted by path. */
  files: DiscoveredFile[];
  /** Sorted by path; directories end in `/`. */
  skipped: SkippedFile[];
  /** Sorted by path. */
  errors: DiscoveryReadError[];
}

/** The nearest ancestor of `start` (or `start` itself) holding a `.git` directory or file, else `start`. */
export function findRepoRoot(start: string): string {
  const from = path.resolve(start);
  for (let dir = from; ; ) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
}

/**
 * Lists the files to scan under `root` (a directory or one file) with their languages, and everything
 * left out on purpose, with the reason. An explicitly named root is never excluded or ignored itself;
 * default excludes, ignore files and globs apply to what lies below it. Throws only when `root` does not
 * exist or is neither a file nor a directory; read failures below it land in `errors`.
 */
export async function findFiles(root: string, options: DiscoveryOptions = {}): Promise<Discovery> {
  const absRoot = path.resolve(root);
  let stats: fs.Stats;
  try {
    stats = fs.statSync(absRoot);
  } catch (error) {
    throw new Error(`Cannot scan ${root}: ${describe(error)}`);
  }
  if (!stats.isFile() && !stats.isDirectory()) throw new Error(`Cannot scan ${root}: not a file or directory`);
  const repoRoot = findRepoRoot(stats.isFile() ? path.dirname(absRoot) : absRoot);
  checkIncludePatterns(options.include, repoRoot);
  const repoPrefix = toPosix(path.relative(repoRoot, absRoot));
  // Git publishes what it tracks even when a .gitignore lists it: those files are scanned all the same.
  const tracked = options.respectGitignore === false ? null : await trackedFiles(repoRoot);
  const walker = new Walker(repoRoot, options, tracked);
  if (stats.isFile()) walker.scanExplicitFile(absRoot, repoPrefix, stats.size);
  else walker.scanDirectory(absRoot, repoPrefix);
  return {
    root: absRoot,
    repoRoot,
    repoPrefix,
    files: walker.files.sort(byPath),
    skipped: walker.skipped.sort(byPath),
    errors: walker.errors.sort(byPath),
  };
}

type Link = 'none' | 'ok' | 'broken' | 'loop';

class Walker {
  readonly files: DiscoveredFile[] = [];
  readonly skipped: SkippedFile[] = [];
  readonly errors: DiscoveryReadError[] = [];
  private readonly include: GlobRule[];
  private readonly exclude: GlobRule[];
  private readonly maxFileBytes: number;
  private readonly respectGitignore: boolean;
  private realRoot = '';

  constructor(
    private readonly repoRoot: string,
    options: DiscoveryOptions,
    private readonly tracked: TrackedFiles | null = null,
  ) {
    this.include = compileGlobs(options.include);
    this.exclude = compileGlobs(options.exclude);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.respectGitignore = options.respectGitignore ?? true;
  }

  /** Named on the command line: only the language, size and binary checks apply. A symlink named is read through. */
  scanExplicitFile(abs: string, rel: string, size: number): void {
    const language = detectLanguage(abs);
    // Reads never follow a symlink (see readRegularFile): a link named as the root is read through its target.
    let target = abs;
    try {
      if (fs.lstatSync(abs).isSymbolicLink()) target = fs.realpathSync(abs);
    } catch {
      /* the read below reports it */
    }
    if (language) this.scanCandidate(target, rel, language, size, false);
    else this.skip(rel, 'unsupported', 'no scanner for this file type');
  }

  scanDirectory(abs: string, rel: string): void {
    try {
      this.realRoot = fs.realpathSync(abs);
    } catch (error) {
      this.readError(dirPath(rel), 'cannot resolve directory', error);
      return;
    }
    this.walkDir(abs, rel, this.ancestorIgnores(rel), true);
  }

  /** Ignore files from the repo root down to the scan root's parent, as git would apply them. */
  private ancestorIgnores(prefix: string): IgnoreMatcher | undefined {
    let matcher: IgnoreMatcher | undefined;
    if (this.respectGitignore) {
      matcher = this.loadIgnoreFile(matcher, path.join(this.repoRoot, '.git', 'info', 'exclude'), '.git/info/exclude', '');
    }
    if (prefix === '') return matcher;
    const segments = prefix.split('/');
    for (let depth = 0; depth < segments.length; depth++) {
      const rel = segments.slice(0, depth).join('/');
      matcher = this.loadDirIgnores(matcher, path.join(this.repoRoot, ...segments.slice(0, depth)), rel);
    }
    // Scanning an ignored folder by name means the user wants it scanned.
    return ignoredBy(matcher, prefix, true) ? undefined : matcher;
  }

  private loadDirIgnores(matcher: IgnoreMatcher | undefined, absDir: string, rel: string, present?: Set<string>) {
    const names = this.respectGitignore ? [GITIGNORE, COMPLIANCEAGENT_IGNORE] : [COMPLIANCEAGENT_IGNORE];
    for (const name of names) {
      if (present && !present.has(name)) continue;
      matcher = this.loadIgnoreFile(matcher, path.join(absDir, name), joinRel(rel, name), rel);
    }
    return matcher;
  }

  private loadIgnoreFile(matcher: IgnoreMatcher | undefined, abs: string, source: string, base: string) {
    let text: string;
    try {
      if (!fs.lstatSync(abs).isFile()) return matcher;
      // Swapped for a FIFO or a symlink since the lstat: never blocks, never follows (then ignored like one).
      text = readRegularFile(abs, MAX_IGNORE_FILE_BYTES).toString('utf8');
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOTREG' || code === 'ELOOP') return matcher;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        this.readError(source, 'cannot read ignore file', error);
      }
      return matcher;
    }
    return extendIgnore(matcher, text, source, base);
  }

  private walkDir(abs: string, rel: string, inherited: IgnoreMatcher | undefined, isRoot: boolean): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (error) {
      this.readError(dirPath(rel), 'cannot read directory', error);
      return;
    }
    const regularFiles = new Set(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
    if (!isRoot && regularFiles.has(VIRTUALENV_MARKER)) {
      this.skip(dirPath(rel), 'excluded', 'default: virtualenv');
      return;
    }
    const matcher = this.loadDirIgnores(inherited, abs, rel, regularFiles);
    for (const entry of entries) {
      const childAbs = path.join(abs, entry.name);
      const childRel = joinRel(rel, entry.name);
      if (entry.isDirectory()) this.visitDir(childAbs, childRel, entry.name, matcher, 'none');
      else if (entry.isFile()) this.visitFile(childAbs, childRel, entry.name, matcher, 'none');
      else if (entry.isSymbolicLink()) this.visitSymlink(childAbs, childRel, entry.name, matcher);
      else this.visitSpecial(childRel, matcher, specialKind(entry), 'none');
    }
  }

  /** Symlinks go through the same checks as what they point at, then are skipped, never followed. */
  private visitSymlink(abs: string, rel: string, name: string, matcher: IgnoreMatcher | undefined): void {
    let target: fs.Stats;
    try {
      target = fs.statSync(abs);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ELOOP') {
        this.visitFile(abs, rel, name, matcher, code === 'ELOOP' ? 'loop' : 'broken');
      } else {
        this.readError(rel, 'cannot resolve symlink', error);
      }
      return;
    }
    if (target.isDirectory()) this.visitDir(abs, rel, name, matcher, 'ok');
    else if (target.isFile()) this.visitFile(abs, rel, name, matcher, 'ok');
    else this.visitSpecial(rel, matcher, specialKind(target), 'ok');
  }

  /**
   * FIFOs, sockets and devices are never opened (opening a FIFO blocks until someone writes to it) but always
   * reported, whatever their name: a repository has no business holding one. Include, exclude and ignore rules
   * apply as to files.
   */
  private visitSpecial(rel: string, matcher: IgnoreMatcher | undefined, kind: string, link: Link): void {
    if (this.include.length > 0 && !matchesWithAncestors(this.include, rel)) return;
    const excludedBy = matchingGlob(this.exclude, rel, false);
    if (excludedBy) return this.skip(rel, 'excluded', `exclude: ${excludedBy.pattern}`);
    const ignored = ignoredBy(matcher, rel, false);
    if (ignored) return this.skip(rel, 'ignored', ignored);
    this.skip(rel, 'unsupported', `not a regular file (${link === 'none' ? kind : `symlink to a ${kind}`}); never opened`);
  }

  private visitDir(abs: string, rel: string, name: string, matcher: IgnoreMatcher | undefined, link: Link): void {
    if (!couldIncludeBelow(this.include, rel)) return;
    const shown = dirPath(rel);
    if (DEFAULT_EXCLUDED_DIRS.has(name)) return this.skip(shown, 'excluded', `default: ${name}`);
    const excludedBy = matchingGlob(this.exclude, rel, true);
    if (excludedBy) return this.skip(shown, 'excluded', `exclude: ${excludedBy.pattern}`);
    const ignored = ignoredBy(matcher, rel, true);
    if (ignored && !this.tracked?.overridesIgnore(ignored, rel, true)) return this.skip(shown, 'ignored', ignored);
    if (link !== 'none') return this.skipSymlink(abs, shown, link);
    this.walkDir(abs, rel, matcher, false);
  }

  private visitFile(abs: string, rel: string, name: string, matcher: IgnoreMatcher | undefined, link: Link): void {
    const defaultExclusion = defaultFileExclusion(name);
    const language = detectLanguage(name);
    // Files that are not source are neither listed nor reported: they would drown the real skips.
    if (!defaultExclusion && !language) return;
    // Files outside an include are out of scope, not skipped.
    if (this.include.length > 0 && !matchesWithAncestors(this.include, rel)) return;
    if (defaultExclusion) return this.skip(rel, 'excluded', defaultExclusion);
    const excludedBy = matchingGlob(this.exclude, rel, false);
    if (excludedBy) return this.skip(rel, 'excluded', `exclude: ${excludedBy.pattern}`);
    const ignored = ignoredBy(matcher, rel, false);
    if (ignored && !this.tracked?.overridesIgnore(ignored, rel, false)) return this.skip(rel, 'ignored', ignored);
    if (link !== 'none') return this.skipSymlink(abs, rel, link);
    if (!language) return;
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(abs);
    } catch (error) {
      this.readError(rel, 'cannot stat file', error);
      return;
    }
    // Replaced by something else since the directory was listed.
    if (!stats.isFile()) return this.visitSpecial(rel, matcher, stats.isSymbolicLink() ? 'symlink' : specialKind(stats), 'none');
    const size = stats.size;
    this.scanCandidate(abs, rel, language, size, true);
  }

  /**
   * A symlink inside the root points at something the walk reaches anyway (or that is excluded there), so
   * scanning it would duplicate findings; one leaving the root would scan code that is not the repo's.
   */
  private skipSymlink(abs: string, shown: string, link: Exclude<Link, 'none'>): void {
    if (link !== 'ok') return this.skip(shown, 'excluded', `symlink (${link})`);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch (error) {
      this.readError(shown, 'cannot resolve symlink', error);
      return;
    }
    const rootWithSep = this.realRoot.endsWith(path.sep) ? this.realRoot : this.realRoot + path.sep;
    if (real === this.realRoot || real.startsWith(rootWithSep)) this.skip(shown, 'excluded', 'symlink');
    else this.skip(shown, 'symlink-outside-root');
  }

  private scanCandidate(abs: string, rel: string, language: Language, size: number, checkMinified: boolean): void {
    if (size > this.maxFileBytes) {
      this.skip(rel, 'too-large', `${size} bytes > ${this.maxFileBytes}`);
      return;
    }
    let head: Buffer;
    try {
      // Up to HEAD_BYTES whatever the size said: fewer bytes back means the whole file (it may have changed since).
      head = readRegularHead(abs, HEAD_BYTES);
    } catch (error) {
      if (errorCode(error) === 'ENOTREG') return this.skip(rel, 'unsupported', 'not a regular file; never opened');
      this.readError(rel, 'cannot read file', error);
      return;
    }
    if (looksBinary(head)) return this.skip(rel, 'binary', 'NUL byte in the first 8 KB');
    const minified = checkMinified && language === 'javascript' ? this.minifiedDetail(abs, rel, head, size) : null;
    if (minified) return this.skip(rel, 'excluded', minified);
    const whole = head.length < HEAD_BYTES && head.length <= this.maxFileBytes;
    this.files.push(whole ? { path: rel, absPath: abs, size, language, content: head } : { path: rel, absPath: abs, size, language });
  }

  /**
   * Judged on the whole file (see looksMinified); the file is read in full only when its head holds no ordinary line
   * of code, or when its name is a bundler's hashed chunk name (see looksLikeBuiltChunk). A file that cannot be read
   * or decoded here is left to the scan, which reports it. Returns the skip detail, or null to scan the file.
   */
  private minifiedDetail(abs: string, rel: string, head: Buffer, size: number): string | null {
    const truncated = head.length < size;
    const chunk = looksLikeChunkName(rel.slice(rel.lastIndexOf('/') + 1));
    const encoding = sniffEncoding(head);
    const headText = new TextDecoder(encoding).decode(head.subarray(0, encoding === 'utf-8' ? head.length : head.length - (head.length % 2)));
    if (!chunk && headRulesOutMinified(headText, truncated)) return null;
    let text: string;
    if (!truncated) text = decodeSource(head)?.text ?? headText;
    else {
      try {
        const whole = decodeSource(readRegularFile(abs, this.maxFileBytes));
        if (whole === null) return null;
        text = whole.text;
      } catch {
        return null;
      }
    }
    if (looksMinified(text)) return 'default: minified';
    return chunk && looksLikeBuiltChunk(text) ? 'default: minified (bundler chunk)' : null;
  }

  private skip(path: string, reason: SkipReason, detail?: string): void {
    this.skipped.push(detail === undefined ? { path, reason } : { path, reason, detail });
  }

  private readError(path: string, what: string, error: unknown): void {
    this.errors.push({ path, message: `${what}: ${describe(error)}` });
  }
}

function specialKind(entry: fs.Dirent | fs.Stats): string {
  if (entry.isFIFO()) return 'FIFO';
  if (entry.isSocket()) return 'socket';
  if (entry.isCharacterDevice()) return 'character device';
  if (entry.isBlockDevice()) return 'block device';
  return 'unknown file type';
}

function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function dirPath(rel: string): string {
  return rel === '' ? './' : `${rel}/`;
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** The error code alone: messages carry absolute paths, which must not reach reports. */
function describe(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
