import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FACTS_SCHEMA_VERSION, type FileFacts } from '../model/facts.js';
import { LANGUAGE_PLUGINS } from '../languages/index.js';
import { TOOL_VERSION } from '../util/version.js';
import { ensurePrivateDir, loadKey, removeStalePacks, writePrivateFile } from './cache-files.js';
import {
  PACK_FORMAT,
  PACK_VERSION,
  entryMac,
  prepareEntry,
  revealContent,
  valueHasher,
  type EntryMeta,
  type PreparedEntry,
  type UncachedReason,
} from './cache-entry.js';
import type { Extracted, SourceFile } from './extract.js';

/**
 * The facts cache: one pack file per scanned root, mapping each path to the key of the content it was extracted
 * from and the result (facts and extraction errors). The key is a hash of the file's path, language and text,
 * the tool version, FACTS_SCHEMA_VERSION, the registered feature extractors and the extractor code itself, so
 * a changed file, a new extractor or an upgrade never reuses stale facts.
 *
 * The cache is at rest on disk, often in a CI cache that outlives the job, so:
 * - it never holds a secret value: every value that could be one is cut out of the entry and stored as a
 *   reference into the file's text (offset, length, masked form, keyed hash; see cache-secrets.ts). A file whose
 *   secret does not occur verbatim in its text (written with escapes) is not cached, just extracted each time;
 * - every entry carries an HMAC (key: a random key private to the cache folder) over its path, key and content,
 *   as the exact text stored (so reading verifies without serialising again): an entry that was edited, even
 *   into another valid shape, is ignored and the file extracted again;
 * - the folder is 0700 and every file 0600, whatever the umask (cache-files.ts).
 * A pack of another format or version, or an entry that does not verify or read back in the expected shape, is
 * ignored, never trusted.
 */

/** Layout version of the pack (bump on any change): packs of another version are ignored and replaced. */
export { PACK_VERSION, type UncachedReason };

/** `$XDG_CACHE_HOME/complianceagent`, else `~/.cache/complianceagent`: never inside the scanned tree. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'complianceagent');
}

let codeSignature: string | undefined;

/** A hash of the scanner's own code (src/ under vitest, dist/src/ when built): edited extractors invalidate the cache. */
function extractorCodeSignature(): string {
  if (codeSignature) return codeSignature;
  const codeRoot = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(js|ts)$/.test(entry.name)) hash.update(entry.name).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  visit(codeRoot);
  codeSignature = hash.digest('hex');
  return codeSignature;
}

/** Everything besides the file itself that decides its facts. */
export function extractorVersion(): string {
  const features = LANGUAGE_PLUGINS.map((p) => `${p.id}:${p.features.join('+')}`).join(',');
  return `${TOOL_VERSION}|facts-v${FACTS_SCHEMA_VERSION}|${features}|${extractorCodeSignature()}`;
}

/** The pack of `root` is named by a hash of the root's path. */
function packName(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 24);
}

function packFile(dir: string, root: string): string {
  return join(dir, `facts-v${PACK_VERSION}-${packName(root)}.pack`);
}

export function cacheKey(file: SourceFile, version: string): string {
  return createHash('sha256').update(version).update('\0').update(file.language).update('\0').update(file.path).update('\0').update(file.text).digest('hex');
}

function isFacts(value: unknown, path: string): value is FileFacts | null {
  if (value === null) return true;
  const f = value as Partial<FileFacts> | undefined;
  return (
    typeof f === 'object' &&
    f !== null &&
    f.path === path &&
    typeof f.lineCount === 'number' &&
    Array.isArray(f.bindings) &&
    Array.isArray(f.strings) &&
    Array.isArray(f.imports)
  );
}

/** An entry as read from the pack: its line (written back as is), and the parts the MAC covers. */
interface PackedEntry {
  line: string;
  mac: string;
  metaText: string;
  meta: Partial<EntryMeta>;
  content: string;
}

/** The pack's first line: `{"format":…,"version":…}`; then one entry per line (cache-entry.ts), sorted by path. */
const PACK_HEADER = JSON.stringify({ format: PACK_FORMAT, version: PACK_VERSION });

/** The entries of a pack's text by path; none when it is of another format or version. Lines that do not split are skipped. */
function readPack(text: string): Map<string, PackedEntry> {
  const entries = new Map<string, PackedEntry>();
  const lines = text.split('\n');
  if (lines[0] !== PACK_HEADER) return entries;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const a = line.indexOf('\t');
    const b = a < 0 ? -1 : line.indexOf('\t', a + 1);
    if (b < 0) continue;
    const metaText = line.slice(a + 1, b);
    let meta: unknown;
    try {
      meta = JSON.parse(metaText);
    } catch {
      continue;
    }
    if (typeof meta !== 'object' || meta === null || typeof (meta as EntryMeta).path !== 'string') continue;
    entries.set((meta as EntryMeta).path, { line, mac: line.slice(0, a), metaText, meta: meta as Partial<EntryMeta>, content: line.slice(b + 1) });
  }
  return entries;
}

export class FactsCache {
  /** This scan's entries as pack lines: as read (cache hits), or as prepared (new extractions). */
  private readonly fresh = new Map<string, string>();
  private hits = 0;
  private readonly notCached: Partial<Record<UncachedReason, number>> = {};

  private constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly old: Map<string, PackedEntry>,
    private readonly hmacKey: Buffer,
    /** The folder or its key could not be set up: nothing can be saved (save() reports it). */
    private readonly setupError: unknown,
    /** The pack on disk must be rewritten even when every entry hit (it was readable by others). */
    private dirty: boolean,
  ) {}

  /** Whether `dir` holds a pack for `root` (of this version): without one, a scan extracts every file. */
  static exists(dir: string, root: string): boolean {
    return existsSync(packFile(dir, root));
  }

  /**
   * Opens the pack for `root` in `dir`, creating the folder (0700) and its key. A missing, unreadable or
   * other-format pack is an empty cache; a folder that cannot be set up gives an empty cache that save() refuses.
   */
  static async open(dir: string, root: string): Promise<FactsCache> {
    const file = packFile(dir, root);
    let key: Buffer | undefined;
    let setupError: unknown;
    try {
      await ensurePrivateDir(dir);
      key = await loadKey(dir);
    } catch (error) {
      setupError = error;
    }
    let old = new Map<string, PackedEntry>();
    let dirty = false;
    if (key) {
      try {
        old = readPack(await readFile(file, 'utf8'));
        dirty = process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0;
      } catch {
        /* no cache yet, or an unreadable one: start empty */
      }
    }
    // Without the folder's key nothing on disk can be verified: an ephemeral key makes every stored entry a miss.
    return new FactsCache(dir, file, old, key ?? randomBytes(32), setupError, dirty);
  }

  /** The folder's key, for worker threads that prepare entries (prepareEntry) where the file is extracted. */
  get entryKey(): Uint8Array {
    return this.hmacKey;
  }

  /** Whether the pack holds an entry of `path` under `key` (not yet verified: get() may still refuse it). */
  has(path: string, key: string): boolean {
    return this.old.get(path)?.meta.key === key;
  }

  get(path: string, key: string, text: string): Extracted | undefined {
    const entry = this.old.get(path);
    if (!entry || entry.meta.key !== key) return undefined;
    const extracted = this.verify(entry, path, key, text);
    if (!extracted) return undefined;
    this.fresh.set(path, entry.line);
    this.hits++;
    return extracted;
  }

  private verify(entry: PackedEntry, path: string, key: string, text: string): Extracted | undefined {
    const expected = Buffer.from(entryMac(this.hmacKey, entry.metaText, entry.content), 'hex');
    const actual = Buffer.from(entry.mac, 'hex');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
    const content = revealContent(entry.content, entry.meta as EntryMeta, text, valueHasher(this.hmacKey, key));
    if (content === undefined) return undefined;
    let body: { facts?: unknown; errors?: unknown };
    try {
      body = JSON.parse(content) as typeof body;
    } catch {
      return undefined;
    }
    if (typeof body !== 'object' || body === null || !Array.isArray(body.errors) || !isFacts(body.facts, path)) return undefined;
    return { facts: body.facts, errors: body.errors as Extracted['errors'] };
  }

  /**
   * Records the extraction of `path` (from `text`, whose key is `key`). Secret values are replaced by references
   * into `text`; when that is not possible (a value written with escapes) the file is not cached.
   */
  set(path: string, key: string, extracted: Extracted, text: string): void {
    this.store(path, prepareEntry(this.hmacKey, path, key, extracted, text));
  }

  /** Records an entry prepared by prepareEntry() with this cache's entryKey (in a worker thread). */
  store(path: string, prepared: PreparedEntry): void {
    if ('skip' in prepared) {
      this.notCached[prepared.skip] = (this.notCached[prepared.skip] ?? 0) + 1;
      this.fresh.delete(path);
      return;
    }
    this.fresh.set(path, prepared.line);
  }

  get hitCount(): number {
    return this.hits;
  }

  /** Files of this scan whose extraction was not cached, by reason (for measurement and tests). */
  get notCachedCount(): Readonly<Partial<Record<UncachedReason, number>>> {
    return this.notCached;
  }

  /**
   * Writes the entries of this scan (files no longer present drop out) with mode 0600, and deletes packs of
   * earlier formats and versions; skipped when nothing changed.
   */
  async save(): Promise<void> {
    const unchanged = !this.dirty && this.hits === this.fresh.size && this.fresh.size === this.old.size;
    if (unchanged) return;
    if (this.setupError !== undefined) throw this.setupError;
    const lines = [...this.fresh].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, line]) => line);
    await ensurePrivateDir(this.dir);
    await writePrivateFile(this.file, `${PACK_HEADER}\n${lines.map((l) => `${l}\n`).join('')}`);
    this.dirty = false;
    await removeStalePacks(this.dir, basename(this.file), PACK_VERSION).catch(() => {});
  }
}
