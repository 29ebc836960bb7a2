import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Rule } from '../model/rule.js';
import type { Coverage, RuleSetting, ScanError, ScanResult } from '../types.js';
import { analyze } from './analyze.js';
import { pluginFor } from '../languages/index.js';
// Types only: the parsers (Babel, tree-sitter) load in the worker threads; in-process they load on first use.
import type { Extracted, SourceFile } from './extract.js';
import { applyBaseline, type BaselineEntry } from './baseline.js';
import { FactsCache, cacheKey, extractorVersion } from './cache.js';
import { changedLinesSince, touchesChange } from './changed-lines.js';
import { parseDirectives, type IgnoreEntry, type SuppressionDirective } from './suppressions.js';
import { DEFAULT_FILE_TIMEOUT_MS, ExtractPool, MIN_FILES_FOR_WORKERS, builtWorkerScript, defaultJobs, type PooledExtraction } from './worker-pool.js';
import { DEFAULT_MAX_FILE_BYTES, findFiles, findRepoRoot, type DiscoveryOptions } from '../discovery/find-files.js';
import { decodeSource, readRegularFile, sniffEncoding } from '../discovery/text.js';
import type { FileFacts } from '../model/facts.js';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import type { ProjectModel } from '../model/project.js';

/** Documentation read as text (issue 15): Markdown, reStructuredText, AsciiDoc. */
const PROSE_FILE = /\.(?:md|mdx|markdown|rst|adoc)$/i;

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
  /**
   * Worker threads for parsing and extraction (default: the number of cores for large scans, one for small ones).
   * Extraction always runs in at least one worker thread when the built worker script exists, so that every file's
   * time budget can be enforced; `jobs: 1` means a single worker.
   */
  jobs?: number;
  /** Rules run only to learn the secrets to mask (SOC2-002 when the configuration disables it); see analyze(). */
  secretRules?: readonly Rule[];
  /** Facts cache folder; no cache when absent. */
  cacheDir?: string;
  /**
   * Per-file time budget for parsing and extraction (default 30 s); an overrun is a 'timeout' scan error and the
   * scan goes on. In a worker (always, when the built worker script exists) the work is stopped at the budget;
   * in-process (from TypeScript sources only) it cannot be interrupted, and is reported the same way once it ends.
   */
  fileTimeoutMs?: number;
  /**
   * The built worker script (dist/src/engine/extract-worker.js). Default: the one beside this module when it
   * runs as built JS; from TypeScript sources (vitest) there is none and extraction runs in-process.
   */
  workerScript?: string;
  /** Called as files are extracted (or taken from the cache): drives the progress bar. */
  onProgress?: (done: number, total: number) => void;
}

type Extractor = (file: SourceFile, cacheKey?: string) => Promise<PooledExtraction>;

interface Extraction {
  extract: Extractor;
  /**
   * Starts the pool's first worker now (a cold scan, before discovery: its module loading overlaps the walk); with
   * the cache it will fill, whose key the worker needs. No-op in-process or when already started.
   */
  start: (cache: FactsCache | undefined) => void;
  /** How many workers pay off for this many files, and the cache they fill; a pool already started learns the first. */
  plan: (fileCount: number, cache: FactsCache | undefined) => void;
  close: () => Promise<void>;
  inProcess: boolean;
}

/**
 * Extraction runs in worker threads whenever the built worker script exists, since only a worker can be stopped
 * when a file overruns its time budget (Babel and tree-sitter calls are synchronous): as many workers as jobs when
 * that pays off (many files, or jobs given), else a single one. The pool starts on the first file that needs
 * extracting, so a scan answered from the cache starts none, or, on a cold scan, before discovery (start()). Without
 * a worker script (running from TypeScript sources) extraction runs in-process and an overrun is reported once the
 * file is done.
 */
function chooseExtractor(options: ScanOptions): Extraction {
  const jobs = options.jobs ?? defaultJobs();
  const script = options.workerScript ?? builtWorkerScript();
  const budget = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
  if (script) {
    // Until the files are counted: one worker at first, and as many as jobs once files queue up (see ExtractPool.grow).
    let size = jobs;
    let pool: ExtractPool | undefined;
    let cacheOfPool: FactsCache | undefined;
    const start = (cache: FactsCache | undefined): void => {
      if (pool) return;
      cacheOfPool = cache;
      pool = new ExtractPool(script, size, budget, cache ? { cacheEntryKey: cache.entryKey } : undefined);
    };
    return {
      extract: (file, cacheKey) => {
        start(cacheOfPool);
        return pool!.run(file, cacheKey);
      },
      start,
      plan: (fileCount, cache) => {
        cacheOfPool ??= cache;
        const parallel = jobs > 1 && (options.jobs !== undefined || fileCount >= MIN_FILES_FOR_WORKERS);
        size = parallel ? Math.min(jobs, Math.max(1, fileCount)) : 1;
        pool?.resize(size);
      },
      close: async () => pool?.close(),
      inProcess: false,
    };
  }
  return { extract: (file) => extractWithinBudget(file, budget), start: () => {}, plan: () => {}, close: async () => {}, inProcess: true };
}

/** In-process extraction cannot be interrupted; an overrun is reported like a stopped one, and the file not analysed. */
async function extractWithinBudget(file: SourceFile, budget: number): Promise<Extracted> {
  const { extractFacts } = await import('./extract.js');
  // Loading the language's parser the first time is not the file's work.
  await pluginFor(file.language).load();
  const started = performance.now();
  const extracted = await extractFacts(file);
  const took = performance.now() - started;
  if (took <= budget) return extracted;
  return {
    facts: null,
    errors: [{ path: file.path, kind: 'timeout', message: `parsing and extraction took longer than ${budget} ms; the file was not analysed` }],
  };
}

/** A cache folder inside the scanned tree (CI caches must live in the project on GitLab) is never scanned itself. */
function withCacheExcluded(root: string, options: ScanOptions): ScanOptions {
  if (!options.cacheDir) return options;
  const rel = relative(findRepoRoot(resolve(root)), resolve(options.cacheDir))
    .split(sep)
    .join('/');
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return options;
  return { ...options, exclude: [...(options.exclude ?? []), rel, `${rel}/**`] };
}

function readFailure(error: unknown, limit: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EFBIG') return `it grew past the size limit (${limit} bytes) during the scan`;
  if (code === 'ENOTREG') return 'it is no longer a regular file';
  if (code === 'ELOOP') return 'it was replaced by a symlink during the scan';
  return code ?? (error as Error).message;
}

/** The read loop gives the event loop a turn this often (ms), so workers' results are taken in and files handed out meanwhile. */
const READ_SLICE_MS = 4;

/** Discover → read → parse/extract (workers, cache) → analyze → suppress → baseline / changed lines. */
export async function scan(root: string, options: ScanOptions): Promise<ScanResult<ProjectModel>> {
  const extractor = chooseExtractor(options);
  const slots: Array<{ file: SourceFile; result: Promise<Extracted> } | undefined> = [];
  const errors: ScanError[] = [];
  let discovery: Awaited<ReturnType<typeof findFiles>>;
  let coverage: Coverage;
  let changed: Awaited<ReturnType<typeof changedLinesSince>> | undefined;
  let cache: FactsCache | undefined;
  try {
    // A cold scan (no cache, or none yet for this root) extracts every file: its first worker starts now, loading its
    // modules while discovery walks the tree. A scan that may be answered from the cache starts none before it must.
    const absRoot = resolve(root);
    if (!extractor.inProcess && existsSync(absRoot)) {
      if (!options.cacheDir) extractor.start(undefined);
      else if (!FactsCache.exists(options.cacheDir, absRoot)) {
        cache = await FactsCache.open(options.cacheDir, absRoot);
        extractor.start(cache);
      }
    }
    discovery = await findFiles(root, withCacheExcluded(root, options));
    changed = options.changedSince ? await changedLinesSince(discovery.repoRoot, options.changedSince) : undefined;
    errors.push(...discovery.errors.map((e): ScanError => ({ path: e.path, kind: 'read', message: e.message })));
    coverage = { filesByLanguage: {}, linesScanned: 0, skipped: discovery.skipped };
    if (options.cacheDir) cache ??= await FactsCache.open(options.cacheDir, discovery.root);
    const version = cache ? extractorVersion() : '';

    const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const total = discovery.files.length;
    extractor.plan(total, cache);
    let done = 0;
    const progress = (): void => options.onProgress?.(++done, total);
    let slice = performance.now();
    const yieldNow = async (): Promise<void> => {
      if (performance.now() - slice <= READ_SLICE_MS) return;
      await new Promise<void>((go) => setImmediate(go));
      slice = performance.now();
    };
    const extract = (source: SourceFile, key: string): Promise<Extracted> =>
      extractor.extract(source, cache ? key : undefined).then(({ prepared, ...extracted }) => {
        if (prepared) cache?.store(source.path, prepared);
        else cache?.set(source.path, key, extracted, source.text);
        progress();
        return extracted;
      });
    /** Files whose cache entry has the right key, verified once every other file has gone to the workers. */
    const toVerify: Array<{ slot: number; source: SourceFile; key: string }> = [];
    for (const file of discovery.files) {
      await yieldNow();
      let bytes: Buffer;
      try {
        // Never blocks on a FIFO, never follows a symlink, never reads past the size limit, even if the file was
        // swapped or grew after discovery looked at it. A small file discovery read whole (with the same guards) is
        // not read again.
        bytes = file.content ?? readRegularFile(file.absPath, maxFileBytes);
        file.content = undefined;
      } catch (error) {
        errors.push({ path: file.path, kind: 'read', message: `could not be read: ${readFailure(error, maxFileBytes)}` });
        slots.push(undefined);
        progress();
        continue;
      }
      const decoded = decodeSource(bytes);
      if (decoded === null) {
        const encoding = sniffEncoding(bytes) === 'utf-8' ? 'UTF-8' : 'UTF-16';
        errors.push({ path: file.path, kind: 'read', message: `not valid ${encoding} text; convert it to UTF-8 to have it scanned` });
        slots.push(undefined);
        progress();
        continue;
      }
      const text = decoded.text;
      const source: SourceFile = { path: file.path, language: file.language, text };
      const key = cache ? cacheKey(source, version) : '';
      if (cache?.has(file.path, key)) {
        toVerify.push({ slot: slots.length, source, key });
        slots.push(undefined);
        continue;
      }
      const result = extract(source, key);
      // In-process extraction is synchronous work: awaiting here keeps memory flat and the order simple.
      if (extractor.inProcess) await result;
      slots.push({ file: source, result });
    }
    // Reading an entry back (MAC, secrets put back, JSON parsed) is most of a re-scan's main-thread time: the files to
    // extract went to the workers first, so that their extraction overlaps it instead of following it.
    for (const { slot, source, key } of toVerify) {
      await yieldNow();
      const cached = cache?.get(source.path, key, source.text);
      if (cached) progress();
      const result = cached ? Promise.resolve(cached) : extract(source, key);
      if (extractor.inProcess) await result;
      slots[slot] = { file: source, result };
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
    // Prose (README, docs) shows directives as examples; its findings are suppressed through the ignore file instead.
    if (inline && !(slot.file.language === 'text' && PROSE_FILE.test(slot.file.path)))
      directives.push(...parseDirectives(slot.file.path, slot.file.text, slot.file.language));
    coverage.filesByLanguage[slot.file.language] = (coverage.filesByLanguage[slot.file.language] ?? 0) + 1;
    coverage.linesScanned += extracted.facts.lineCount;
  }
  if (cache) {
    try {
      await cache.save();
    } catch (error) {
      errors.push({
        path: '',
        kind: 'config',
        message: `the facts cache could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); use --cache-dir or --no-cache`,
      });
    }
  }

  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const analysed = analyze({
    files,
    rules: options.rules,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.secretRules ? { secretRules: options.secretRules } : {}),
    suppressions: { directives, ignoreEntries: options.ignoreEntries ?? [], today },
  });
  let findings = analysed.findings;
  let analysisErrors = analysed.errors;
  const result: Partial<ScanResult<ProjectModel>> = {};
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
