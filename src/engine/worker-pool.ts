import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { tuneTieringFor } from './tiering.js';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Extracted, SourceFile } from './extract.js';
import { contentStart, type PreparedEntry } from './cache-entry.js';

/** A file's extraction, with its facts-cache entry when the worker prepared one (see cache-entry.ts). */
export type PooledExtraction = Extracted & { prepared?: PreparedEntry };

/** Default per-file time budget for parsing and extraction. */
export const DEFAULT_FILE_TIMEOUT_MS = 30_000;
/** Files waiting per running worker above which the pool starts another (up to its size). */
const GROW_AT = 8;

/** Below this many files to extract, starting workers costs more than it saves: extraction runs in-process. */
export const MIN_FILES_FOR_WORKERS = 200;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The worker script beside this module when it runs as built JS (dist/src/engine/extract-worker.js). Under vitest
 * this module is TypeScript source, which a worker thread cannot load: there is no worker script then, and
 * extraction runs in-process unless a caller passes a built worker explicitly.
 */
export function builtWorkerScript(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const script = fileURLToPath(new URL('./extract-worker.js', import.meta.url));
  return existsSync(script) ? script : undefined;
}

interface Task {
  id: number;
  file: SourceFile;
  /** The file's facts-cache key: the worker also prepares its cache entry. */
  cacheKey?: string;
  resolve: (result: PooledExtraction) => void;
}

/** Files posted to one worker ahead of the one it is working on, so it never waits for the main thread between files. */
export const PREFETCH = 8;

/**
 * Young generation of each extraction worker (MB; V8 makes it three semi-spaces, so 64 MB semi-spaces against 16 by
 * default). A file's syntax tree and facts live until its extraction ends, so with the default size each scavenge
 * copied the live tree again: on the bench corpus 478 scavenges took 3.25 s of a 43.8 s extraction, and with this size
 * 128 took 1.48 s (43.8 → 39.8 s of CPU in all). The cost is memory, at most (192 − 48) MB more per worker: peak RSS
 * with two workers rose on medusa's packages from 299 to 343–348 MiB and on polar's server from 436 to 527–544 MiB.
 */
const WORKER_YOUNG_GENERATION_MB = 192;
/** A worker is given no further file ahead while the text it holds exceeds this (a big file at the end holds back no others). */
const PREFETCH_CHARS = 256 * 1024;

interface Slot {
  worker: Worker;
  /** The worker has loaded its modules (the time budget starts with the first file, not with module loading). */
  ready: boolean;
  /** Files posted to the worker, in order: it works on the first, the others wait in its message port. */
  tasks: Task[];
  /** Characters of text in `tasks`. */
  chars: number;
  /** The time budget of tasks[0]. */
  timer?: NodeJS.Timeout;
}

/**
 * A pool of worker threads that parse and extract files. Each worker is given up to PREFETCH files at a time and works
 * through them in order (extract-worker.ts), so the round trip of a result through the main thread (busy reading
 * files, parsing results) never leaves it idle. Each file gets a time budget, started when the worker turns to it
 * (when the previous file's result arrives): a worker that overruns it is terminated (Babel and tree-sitter calls
 * are synchronous, so nothing else can stop them), the file becomes a 'timeout' scan error, and the files it had not
 * started go back to the front of the queue for a fresh worker. A crashed worker likewise turns the file it was
 * working on into a scan error and gives back the others. `run` never rejects.
 */
export class ExtractPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;
  private startFailures = 0;

  private size: number;

  constructor(
    private readonly script: string,
    size: number,
    private readonly timeoutMs: number = DEFAULT_FILE_TIMEOUT_MS,
    /** Given to every worker: `{ cacheEntryKey }` when the scan writes a facts cache. */
    private readonly workerData?: { cacheEntryKey?: Uint8Array },
  ) {
    this.size = Math.max(1, size);
    tuneTieringFor(this.size);
    this.slots.push(this.spawn());
  }

  /**
   * Lowers (or raises) the number of workers the pool may start: a pool started before discovery (so that its first
   * worker loads its modules meanwhile) learns from the number of files how many workers pay off. Running workers stay.
   */
  resize(size: number): void {
    this.size = Math.max(1, size);
    this.grow();
  }

  /**
   * Workers start one at a time, up to `size`: another only while more than GROW_AT files per running worker wait.
   * A cold scan queues every file at once and gets them all at once; a warm re-scan that extracts a handful of
   * uncached files pays for one worker's start-up (module loading, ≈0.7 s of CPU) instead of one per core, on the
   * cores the main thread needs for the rules.
   */
  private grow(): void {
    while (this.slots.length < this.size && this.queue.length > GROW_AT * this.slots.length) this.slots.push(this.spawn());
  }

  /** Worker threads started so far (they start one at a time, see grow()). */
  get workers(): number {
    return this.slots.length;
  }

  run(file: SourceFile, cacheKey?: string): Promise<PooledExtraction> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ facts: null, errors: [{ path: file.path, kind: 'parse', message: 'the extraction worker pool is closed' }] });
        return;
      }
      this.queue.push({ id: this.nextId++, file, ...(cacheKey !== undefined ? { cacheKey } : {}), resolve });
      this.grow();
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) clearTimeout(slot.timer);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    // `--input-type` (a `node -e` host) would stop the worker from loading its own module file.
    const worker = new Worker(this.script, {
      execArgv: process.execArgv.filter((arg) => !arg.startsWith('--input-type')),
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      ...(this.workerData ? { workerData: this.workerData } : {}),
    });
    const slot: Slot = { worker, ready: false, tasks: [], chars: 0 };
    worker.on('message', (message: { ready?: true; id?: number; result?: Extracted; json?: string; prepared?: PreparedEntry }) => {
      if (message.ready) {
        slot.ready = true;
        this.pump();
        return;
      }
      if (slot.tasks[0]?.id !== message.id) return;
      if (message.result) this.finish(slot, message.result);
      else if (!message.prepared && message.json !== undefined) this.finish(slot, JSON.parse(message.json) as Extracted);
      else if (message.prepared) {
        // With a cache, the worker sends the extraction as the JSON text its entry was cut from (extractedJson), or
        // only the entry when its content is that very text.
        const { prepared } = message;
        const json = message.json ?? ('line' in prepared ? prepared.line.slice(contentStart(prepared.line)) : undefined);
        if (json !== undefined) this.finish(slot, { ...(JSON.parse(json) as Extracted), prepared });
      }
    });
    // A crash is handled on 'exit', not on 'error': results the worker posted before it died (the file before the one
    // that crashed it) are delivered before 'exit', not always before 'error', and must not be blamed on the crash.
    let failure: Error | undefined;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', (code) => {
      // Stopped on purpose: a replaced worker (timeout, crash) or a closed pool.
      if (this.closed || !this.slots.includes(slot)) return;
      const reason = failure ? failure.message.split('\n')[0] : `the worker exited with code ${code}`;
      if (!slot.ready && ++this.startFailures >= 3) {
        // The worker script itself cannot load: every file would fail the same way.
        this.closed = true;
        const message = `the extraction worker could not start: ${reason}`;
        for (const task of this.queue.splice(0)) task.resolve({ facts: null, errors: [{ path: task.file.path, kind: 'parse', message }] });
        return;
      }
      const task = this.retire(slot);
      if (task) task.resolve({ facts: null, errors: [{ path: task.file.path, kind: 'parse', message: `the extractor crashed: ${reason}` }] });
      this.pump();
    });
    return slot;
  }

  /** The result of the slot's current file: the worker turns to the next one it holds, whose budget starts now. */
  private finish(slot: Slot, result: PooledExtraction): void {
    const task = slot.tasks.shift();
    if (!task) return;
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.chars -= task.file.text.length;
    this.startBudget(slot);
    task.resolve(result);
    this.pump();
  }

  /**
   * Stops the slot's worker and starts another in its place; the files the worker held but had not started go back to
   * the front of the queue, in order. Returns the file it was working on.
   */
  private retire(slot: Slot): Task | undefined {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    const [current, ...waiting] = slot.tasks.splice(0);
    slot.chars = 0;
    this.queue.unshift(...waiting);
    void slot.worker.terminate();
    const index = this.slots.indexOf(slot);
    if (index >= 0 && !this.closed) this.slots[index] = this.spawn();
    return current;
  }

  private startBudget(slot: Slot): void {
    const task = slot.tasks[0];
    if (!task) return;
    slot.timer = setTimeout(() => {
      if (slot.tasks[0] !== task) return;
      this.retire(slot);
      task.resolve({
        facts: null,
        errors: [
          {
            path: task.file.path,
            kind: 'timeout',
            message: `parsing and extraction took longer than ${this.timeoutMs} ms and were stopped; the file was not analysed`,
          },
        ],
      });
      this.pump();
    }, this.timeoutMs);
  }

  /** Hands queued files to ready workers: to the emptiest first, each up to PREFETCH files (and PREFETCH_CHARS ahead). */
  private pump(): void {
    if (this.closed) return;
    for (let held = 0; held < PREFETCH && this.queue.length > 0; held++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) return;
        if (!slot.ready || slot.tasks.length > held || (held > 0 && slot.chars >= PREFETCH_CHARS)) continue;
        const task = this.queue.shift()!;
        slot.tasks.push(task);
        slot.chars += task.file.text.length;
        if (slot.tasks.length === 1) this.startBudget(slot);
        slot.worker.postMessage({ id: task.id, file: task.file, ...(task.cacheKey !== undefined ? { cacheKey: task.cacheKey } : {}) });
      }
    }
  }
}
