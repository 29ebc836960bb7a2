import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FACTS_SCHEMA_VERSION, type FileFacts } from '../model/facts.js';
import { JS_FEATURES } from '../languages/javascript/features.js';
import { PY_FEATURES } from '../languages/python/features.js';
import { TOOL_VERSION } from '../version.js';
import type { Extracted, SourceFile } from './extract.js';

/**
 * The facts cache: one pack file per scanned root, mapping each path to the key of the content it was extracted
 * from and the result (facts and extraction errors). The key is a hash of the file's path, language and text,
 * the tool version, FACTS_SCHEMA_VERSION, the registered feature extractors and the extractor code itself, so
 * a changed file, a new extractor or an upgrade never reuses stale facts. A pack or entry that does not read
 * back in the expected shape is ignored (the file is extracted again), never trusted.
 */

const PACK_FORMAT = 'complianceagent-facts-cache';

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
  const features = [...JS_FEATURES.map((f) => `js:${f.name}`), ...PY_FEATURES.map((f) => `py:${f.name}`)].join(',');
  return `${TOOL_VERSION}|facts-v${FACTS_SCHEMA_VERSION}|${features}|${extractorCodeSignature()}`;
}

export function cacheKey(file: SourceFile, version: string): string {
  return createHash('sha256').update(version).update('\0').update(file.language).update('\0').update(file.path).update('\0').update(file.text).digest('hex');
}

interface PackEntry {
  key: string;
  facts: FileFacts | null;
  errors: Extracted['errors'];
}

function isEntry(value: unknown, path: string, key: string): value is PackEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<PackEntry>;
  if (e.key !== key || !Array.isArray(e.errors)) return false;
  if (e.facts === null) return true;
  const f = e.facts as Partial<FileFacts> | undefined;
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

export class FactsCache {
  private readonly fresh = new Map<string, PackEntry>();
  private hits = 0;

  private constructor(
    private readonly file: string,
    private readonly old: Record<string, unknown>,
  ) {}

  /** Opens the pack for `root` in `dir`; a missing or unreadable pack is an empty cache. */
  static async open(dir: string, root: string): Promise<FactsCache> {
    const name = createHash('sha256').update(root).digest('hex').slice(0, 24);
    const file = join(dir, `facts-${name}.json`);
    let old: Record<string, unknown> = {};
    try {
      const pack = JSON.parse(await readFile(file, 'utf8')) as { format?: unknown; entries?: unknown };
      if (pack.format === PACK_FORMAT && typeof pack.entries === 'object' && pack.entries !== null) old = pack.entries as Record<string, unknown>;
    } catch {
      /* no cache yet, or a corrupt one: start empty */
    }
    return new FactsCache(file, old);
  }

  get(path: string, key: string): Extracted | undefined {
    const entry = Object.hasOwn(this.old, path) ? this.old[path] : undefined;
    if (!isEntry(entry, path, key)) return undefined;
    this.fresh.set(path, entry);
    this.hits++;
    return { facts: entry.facts, errors: entry.errors };
  }

  set(path: string, key: string, extracted: Extracted): void {
    this.fresh.set(path, { key, facts: extracted.facts, errors: extracted.errors });
  }

  get hitCount(): number {
    return this.hits;
  }

  /** Writes the entries of this scan (files no longer present drop out); skipped when nothing changed. */
  async save(): Promise<void> {
    const unchanged = this.hits === this.fresh.size && this.fresh.size === Object.keys(this.old).length;
    if (unchanged) return;
    const entries = Object.fromEntries([...this.fresh].sort(([a], [b]) => (a < b ? -1 : 1)));
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ format: PACK_FORMAT, entries }));
    await rename(tmp, this.file);
  }
}
