import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files of the facts cache folder: the folder is private (0700), every file in it is written 0600 whatever the
 * umask, and it holds the folder's HMAC key (random, 32 bytes) that signs every entry and every value reference.
 */

export const KEY_FILE = 'hmac-key';

/**
 * Names the cache writes (packs, the key, their temporary files): packs of the first format are
 * `facts-<24 hex>.json`, of versions 1 and 2 `facts-v<n>-<24 hex>.json`, from version 3 `facts-v<n>-<24 hex>.pack`.
 */
const CACHE_FILE = /^(?:facts-[\w.-]+\.(?:json|pack)|hmac-key)(?:\.[\w.-]+\.tmp)?$/;
const LEGACY_PACK = /^facts-[0-9a-f]{24}\.json$/;
const VERSIONED_PACK = /^facts-v(\d+)-([0-9a-f]{24})\.(?:json|pack)$/;

const posix = process.platform !== 'win32';

function ownedByMe(uid: number): boolean {
  return typeof process.getuid !== 'function' || uid === process.getuid();
}

/**
 * Creates the folder 0700. An existing folder is tightened to 0700 when it is ours and holds nothing but cache
 * files (the default folder written by an older version); a folder given with --cache-dir that holds other
 * things keeps its mode (the files in it are 0600 anyway).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!posix) return;
  if (created !== undefined) {
    await chmod(dir, 0o700);
    return;
  }
  const st = await stat(dir);
  if ((st.mode & 0o077) === 0 || !ownedByMe(st.uid)) return;
  if ((await readdir(dir)).every((name) => CACHE_FILE.test(name))) await chmod(dir, 0o700);
}

function tempName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

async function writeTemp(file: string, data: string): Promise<string> {
  const tmp = tempName(file);
  await writeFile(tmp, data, { mode: 0o600, flag: 'wx' });
  // The mode given to open() is filtered by the umask; set it explicitly.
  if (posix) await chmod(tmp, 0o600);
  return tmp;
}

/** Writes `file` atomically (temporary file, then rename) with mode 0600. */
export async function writePrivateFile(file: string, data: string): Promise<void> {
  const tmp = await writeTemp(file, data);
  try {
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
}

/** The key in `file` when it is a regular private file of ours holding 64 hex digits; else null. */
async function readKey(file: string): Promise<Buffer | null> {
  try {
    const st = await lstat(file);
    if (!st.isFile() || st.size > 128 || !ownedByMe(st.uid) || (posix && (st.mode & 0o077) !== 0)) return null;
    const text = await readFile(file, 'utf8');
    return /^[0-9a-f]{64}\n?$/.test(text) ? Buffer.from(text.slice(0, 64), 'hex') : null;
  } catch {
    return null;
  }
}

/**
 * The folder's HMAC key, created on first use. A key that others could have read (group/other bits, another
 * owner, a symlink) is replaced: every entry signed with it then fails verification and is extracted again.
 * Concurrent scans agree on one key (the first link() wins; the others read it).
 */
export async function loadKey(dir: string): Promise<Buffer> {
  const file = join(dir, KEY_FILE);
  const existing = await readKey(file);
  if (existing) return existing;
  const key = randomBytes(32);
  const tmp = await writeTemp(file, `${key.toString('hex')}\n`);
  try {
    try {
      await link(tmp, file);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        const theirs = await readKey(file);
        if (theirs) return theirs;
      }
    }
    // No usable key there (or no hard links on this file system): ours replaces it.
    await rename(tmp, file);
    return key;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/**
 * Deletes packs of the first cache format (plain-text secrets, mode 0644) left in the folder, and packs of the
 * same root (`current` is the pack just written) in an earlier version, which no scan of this version reads.
 */
export async function removeStalePacks(dir: string, current: string, version: number): Promise<void> {
  const root = VERSIONED_PACK.exec(current)?.[2];
  for (const name of await readdir(dir)) {
    const versioned = VERSIONED_PACK.exec(name);
    const stale = LEGACY_PACK.test(name) || (versioned !== null && versioned[2] === root && Number(versioned[1]) < version);
    if (stale) await unlink(join(dir, name)).catch(() => {});
  }
}
