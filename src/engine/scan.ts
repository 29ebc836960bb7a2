import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Rule } from './rule.js';
import type { Coverage, ScanError, ScanResult } from './types.js';
import { analyze, type RuleSetting } from './analyze.js';
import { extractFacts, type Extracted, type SourceFile } from './extract.js';
import { applyBaseline, type BaselineEntry } from './baseline.js';
import { FactsCache, cacheKey, extractorVersion } from './cache.js';
import { changedLinesSince, touchesChange } from './changed-lines.js';
import { parseDirectives, type IgnoreEntry, type SuppressionDirective } from './suppressions.js';
import { DEFAULT_FILE_TIMEOUT_MS, ExtractPool, MIN_FILES_FOR_WORKERS, builtWorkerScript, defaultJobs } from './worker-pool.js';
import { findFiles, findRepoRoot, type DiscoveryOptions } from '../discovery/find-files.js';
import type { FileFacts } from '../model/facts.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export interface ScanOptions extends DiscoveryOptions {
  rules: readonly Rule[];
  settings?: Readonly<Record<string, RuleSetting>>;
  /** Honour `complianceagent-ignore` comments (default true). When false they are neither applied nor reported. */
  inlineSuppressions?: boolean;
  /** Entries of `.complianceagent-ignore.yml` (read by the CLI). */
  ignoreEntries?: readonly IgnoreEntry[];
  /** Today as YYYY-MM-DD, for ignore-entry expiry (default: the current UTC date). */
  today?: string;
  /** Only findings not in this baseline are reported. */
  baseline?: readonly BaselineEntry[];
  /** A git ref: only findings on lines changed since it are reported (the model is still built from every file). */
  changedSince?: string;
  /** Worker threads for parsing and extraction (default: the number of cores; 1 = in-process). */
  jobs?: number;
  /** Facts cache folder; no cache when absent. */
  cacheDir?: string;
  /** Per-file budget for parsing and extraction in a worker (default 20 s); overruns are 'timeout' scan errors. */
  fileTimeoutMs?: number;
  /**
   * The built worker script (dist/src/engine/extract-worker.js). Default: the one beside this module when it
   * runs as built JS; from TypeScript sources (vitest) there is none and extraction runs in-process.
   */
  workerScript?: string;
  /** Called as files are extracted (or taken from the cache): drives the progress bar. */
  onProgress?: (done: number, total: number) => void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes strict UTF-8 (a BOM is dropped); null when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return null;
  }
}

type Extractor = (file: SourceFile) => Promise<Extracted>;

/** Worker threads when they pay off and a built worker exists, else in-process. */
function chooseExtractor(options: ScanOptions, fileCount: number): { extract: Extractor; close: () => Promise<void>; inProcess: boolean } {
  const jobs = options.jobs ?? defaultJobs();
  const script = options.workerScript ?? builtWorkerScript();
  const explicit = options.jobs !== undefined || options.workerScript !== undefined;
  if (script && jobs > 1 && (explicit || fileCount >= MIN_FILES_FOR_WORKERS)) {
    const pool = new ExtractPool(script, Math.min(jobs, Math.max(1, fileCount)), options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS);
    return { extract: (file) => pool.run(file), close: () => pool.close(), inProcess: false };
  }
  return { extract: extractFacts, close: async () => {}, inProcess: true };
}

/** A cache folder inside the scanned tree (CI caches must live in the project on GitLab) is never scanned itself. */
function withCacheExcluded(root: string, options: ScanOptions): ScanOptions {
  if (!options.cacheDir) return options;
  const rel = relative(findRepoRoot(resolve(root)), resolve(options.cacheDir)).split(sep).join('/');
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return options;
  return { ...options, exclude: [...(options.exclude ?? []), rel, `${rel}/**`] };
}

/** Discover → read → parse/extract (workers, cache) → analyze → suppress → baseline / changed lines. */
export async function scan(root: string, options: ScanOptions): Promise<ScanResult> {
  const discovery = await findFiles(root, withCacheExcluded(root, options));
  const changed = options.changedSince ? await changedLinesSince(discovery.repoRoot, options.changedSince) : undefined;
  const errors: ScanError[] = discovery.errors.map((e) => ({ path: e.path, kind: 'read', message: e.message }));
  const coverage: Coverage = { filesByLanguage: {}, linesScanned: 0, skipped: discovery.skipped };
  const cache = options.cacheDir ? await FactsCache.open(options.cacheDir, discovery.root) : undefined;
  const version = cache ? extractorVersion() : '';

  const total = discovery.files.length;
  let done = 0;
  const progress = (): void => options.onProgress?.(++done, total);
  const slots: Array<{ file: SourceFile; result: Promise<Extracted> } | undefined> = [];
  const extractor = chooseExtractor(options, total);
  try {
    for (const file of discovery.files) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file.absPath);
      } catch (error) {
        errors.push({ path: file.path, kind: 'read', message: `could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
        slots.push(undefined);
        progress();
        continue;
      }
      const text = decodeUtf8(bytes);
      if (text === null) {
        errors.push({ path: file.path, kind: 'read', message: 'not valid UTF-8 text; convert it to UTF-8 to have it scanned' });
        slots.push(undefined);
        progress();
        continue;
      }
      const source: SourceFile = { path: file.path, language: file.language, text };
      const key = cache ? cacheKey(source, version) : '';
      const cached = cache?.get(file.path, key);
      if (cached) {
        slots.push({ file: source, result: Promise.resolve(cached) });
        progress();
        continue;
      }
      const result = extractor.extract(source).then((extracted) => {
        cache?.set(file.path, key, extracted);
        progress();
        return extracted;
      });
      // In-process extraction is synchronous work: awaiting here keeps memory flat and the order simple.
      if (extractor.inProcess) await result;
      slots.push({ file: source, result });
    }
    await Promise.all(slots.map((s) => s?.result));
  } finally {
    await extractor.close();
  }

  const files: Array<{ facts: FileFacts; text: string }> = [];
  const directives: SuppressionDirective[] = [];
  const inline = options.inlineSuppressions !== false;
  for (const slot of slots) {
    if (!slot) continue;
    const extracted = await slot.result;
    errors.push(...extracted.errors);
    if (!extracted.facts) continue;
    files.push({ facts: extracted.facts, text: slot.file.text });
    if (inline) directives.push(...parseDirectives(slot.file.path, slot.file.text));
    coverage.filesByLanguage[slot.file.language] = (coverage.filesByLanguage[slot.file.language] ?? 0) + 1;
    coverage.linesScanned += extracted.facts.lineCount;
  }
  if (cache) {
    try {
      await cache.save();
    } catch (error) {
      errors.push({ path: '', kind: 'config', message: `the facts cache could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); use --cache-dir or --no-cache` });
    }
  }

  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const analysed = analyze({
    files,
    rules: options.rules,
    ...(options.settings ? { settings: options.settings } : {}),
    suppressions: { directives, ignoreEntries: options.ignoreEntries ?? [], today },
  });
  let findings = analysed.findings;
  let analysisErrors = analysed.errors;
  const result: Partial<ScanResult> = {};
  if (changed) {
    const inChange = findings.filter((f) => touchesChange(changed.lines, f.location.path, f.location.startLine, f.location.endLine));
    result.changedSince = { ref: changed.ref, base: changed.base, findingsOutside: findings.length - inChange.length };
    findings = inChange;
    // Unused or rejected suppressions count as code: only those on changed lines are reported.
    analysisErrors = analysisErrors.filter((e) => e.kind !== 'suppression' || touchesChange(changed.lines, e.path, e.line ?? 0, e.line ?? 0));
  }
  if (options.baseline) {
    const outcome = applyBaseline(findings, options.baseline);
    findings = outcome.findings;
    result.baseline = { matched: outcome.matched, stale: outcome.stale };
  }
  errors.push(...analysisErrors);
  errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: discovery.root,
    repoPrefix: discovery.repoPrefix,
    rulesRun: options.rules.map((r) => r.id),
    findings,
    errors,
    coverage,
    ...result,
    model: analysed.model,
  };
}
