/**
 * Worker-thread entry: parses and extracts one file per message, one file at a time in the order they came (the pool
 * posts a few ahead and times the first it has not yet had back; see worker-pool.ts). Runs only as compiled JS
 * (dist/src/engine/extract-worker.js); the parsers load before the worker says it is ready.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractFacts, type SourceFile } from './extract.js';
import { LANGUAGE_PLUGINS } from '../languages/index.js';
import { contentStart, extractedJson, prepareEntry, type PreparedEntry } from './cache-entry.js';

if (!parentPort) throw new Error('extract-worker.js runs only as a worker thread');
const port = parentPort;
// When the scan writes a facts cache, each file's entry is prepared here (secrets cut out, signed, serialised), not on the main thread.
const entryKey = (workerData as { cacheEntryKey?: Uint8Array } | undefined)?.cacheEntryKey;
type Task = { id: number; file: SourceFile; cacheKey?: string };
let previous: Promise<void> = Promise.resolve();
port.on('message', (task: Task) => {
  // In order, one at a time, even if an extractor awaits something.
  previous = previous.then(() => work(task));
});

function work(task: Task): Promise<void> {
  return extractFacts(task.file).then((result) => {
    if (entryKey && task.cacheKey !== undefined) {
      try {
        // The extraction is serialised once: the entry is cut from this text, and the main thread parses it
        // instead of receiving the facts a second time as a structured clone.
        const json = extractedJson(result);
        const prepared: PreparedEntry = prepareEntry(entryKey, task.file.path, task.cacheKey, result, task.file.text, json);
        // Most entries hold no secret: their stored content is that text, sent once inside the entry's line.
        const same = 'line' in prepared && prepared.line.endsWith(json) && prepared.line.length - json.length === contentStart(prepared.line);
        port.postMessage(same ? { id: task.id, prepared } : { id: task.id, json, prepared });
        return;
      } catch {
        // The main thread prepares it instead.
      }
    }
    // Without a cache entry the extraction still travels as JSON text: JSON.stringify here and JSON.parse on the main
    // thread cost less than a structured clone of the same facts (medusa's packages, 22.8 MB of facts: 0.45-0.55 s
    // against 0.7-0.9 s of CPU, the saving mostly on the main thread), and the facts reach the rules exactly as they
    // do from a cache entry.
    let json: string | undefined;
    try {
      json = extractedJson(result);
    } catch {
      // Not representable as JSON: structured clone below.
    }
    port.postMessage(json === undefined ? { id: task.id, result } : { id: task.id, json });
  });
}
// Parsers load before the worker says it is ready, so no file's time budget pays for module loading.
await Promise.all(LANGUAGE_PLUGINS.map((plugin) => plugin.load()));
port.postMessage({ ready: true });
