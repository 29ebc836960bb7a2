import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { UsageError } from '../errors.js';

const HINT = "include and exclude globs match paths relative to the repository root, e.g. 'src/**' or '**/*.py'";

/**
 * Include globs are matched against repository-relative paths, so one that points outside the repository
 * (`../other/**`, `/home/me/other/**`, `C:\code\**`) can never match: it would silently scan nothing. Such a
 * pattern is a usage error. A leading `/` stays what it is in gitignore, an anchor to the repository root
 * (`/src/**`), unless the pattern is plainly an absolute path: it starts with the repository's own absolute
 * path (the error then names the relative pattern to use), or its first folder is not in the repository but
 * exists at the root of the file system (`/home`, `/tmp`, `/Users`).
 */
export function checkIncludePatterns(patterns: readonly string[] | undefined, repoRoot: string): void {
  for (const raw of patterns ?? []) {
    const pattern = raw.trim().replace(/^(?:\.\/)+/, '');
    if (pattern === '') continue;
    const shown = JSON.stringify(raw).slice(1, -1);
    if (/^[A-Za-z]:[\\/]/.test(pattern) || pattern.startsWith('\\\\')) {
      throw new UsageError(`include pattern '${shown}' is an absolute path and can never match`, HINT);
    }
    if (pattern.split(/[\\/]/).includes('..')) {
      throw new UsageError(`include pattern '${shown}' points outside the repository ('..') and can never match`, HINT);
    }
    if (!pattern.startsWith('/')) continue;
    const base = picomatch.scan(pattern).base;
    const root = toPosix(path.resolve(repoRoot));
    if (base === root || base.startsWith(root.endsWith('/') ? root : `${root}/`)) {
      const relative = pattern.slice(root.length).replace(/^\/+/, '') || '**';
      throw new UsageError(`include pattern '${shown}' is an absolute path; write it relative to the repository root: '${relative}'`, HINT);
    }
    const first = pattern.replace(/^\/+/, '').split('/')[0] ?? '';
    if (first === '' || picomatch.scan(first).isGlob) continue;
    if (!exists(path.join(repoRoot, first)) && exists(path.join(path.parse(path.resolve(repoRoot)).root, first))) {
      throw new UsageError(`include pattern '${shown}' is an absolute path outside the repository and can never match`, HINT);
    }
  }
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}
