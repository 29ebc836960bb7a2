import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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

interface Slot {
  worker: Worker;
  /** The worker has loaded its modules (the time budget starts with the first file, not with module loading). */
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
}

/**
 * A fixed pool of worker threads that parse and extract files. Each file gets a time budget: a worker that
 * overruns it is terminated (Babel and tree-sitter calls are synchronous, so nothing else can stop them), the
 * file becomes a 'timeout' scan error and a fresh worker takes the next file. A crashed worker likewise turns
 * its file into a scan error. `run` never rejects.
 */
export class ExtractPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;
  private startFailures = 0;

  private readonly size: number;

  constructor(
    private readonly script: string,
    size: number,
    private readonly timeoutMs: number = DEFAULT_FILE_TIMEOUT_MS,
    /** Given to every worker: `{ cacheEntryKey }` when the scan writes a facts cache. */
    private readonly workerData?: { cacheEntryKey?: Uint8Array },
  ) {
    this.size = Math.max(1, size);
    this.slots.push(this.spawn());
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
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    // `--input-type` (a `node -e` host) would stop the worker from loading its own module file.
    const worker = new Worker(this.script, {
      execArgv: process.execArgv.filter((arg) => !arg.startsWith('--input-type')),
      ...(this.workerData ? { workerData: this.workerData } : {}),
    });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (message: { ready?: true; id?: number; result?: Extracted; json?: string; prepared?: PreparedEntry }) => {
      if (message.ready) {
        slot.ready = true;
        this.pump();
        return;
      }
      if (!slot.task || message.id !== slot.task.id) return;
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
    worker.on('error', (error) => {
      if (!slot.ready && ++this.startFailures >= 3) {
        // The worker script itself cannot load: every file would fail the same way.
        this.closed = true;
        const message = `the extraction worker could not start: ${error.message.split('\n')[0]}`;
        for (const task of this.queue.splice(0)) task.resolve({ facts: null, errors: [{ path: task.file.path, kind: 'parse', message }] });
        return;
      }
      const task = slot.task;
      clearTimeout(slot.timer);
      slot.task = undefined;
      this.replace(slot);
      if (task)
        task.resolve({ facts: null, errors: [{ path: task.file.path, kind: 'parse', message: `the extractor crashed: ${error.message.split('\n')[0]}` }] });
      this.pump();
    });
    return slot;
  }

  private finish(slot: Slot, result: PooledExtraction): void {
    const task = slot.task;
    if (!task) return;
    clearTimeout(slot.timer);
    slot.task = undefined;
    slot.timer = undefined;
    task.resolve(result);
    this.pump();
  }

  private replace(slot: Slot): void {
    void slot.worker.terminate();
    const index = this.slots.indexOf(slot);
    if (index >= 0 && !this.closed) this.slots[index] = this.spawn();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task || !slot.ready) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(() => {
        slot.task = undefined;
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
        this.replace(slot);
        this.pump();
      }, this.timeoutMs);
      slot.worker.postMessage({ id: task.id, file: task.file, ...(task.cacheKey !== undefined ? { cacheKey: task.cacheKey } : {}) });
    }
  }
}
