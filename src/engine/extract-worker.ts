/**
 * Worker-thread entry: parses and extracts one file per message. Runs only as compiled JS
 * (dist/src/engine/extract-worker.js); the Python parser initialises once per worker on first use.
 */
import { parentPort } from 'node:worker_threads';
import { extractFacts, type SourceFile } from './extract.js';
import { LANGUAGE_PLUGINS } from '../languages/index.js';

const port = parentPort;
if (!port) throw new Error('extract-worker.js runs only as a worker thread');
port.on('message', (task: { id: number; file: SourceFile }) => {
  void extractFacts(task.file).then((result) => port.postMessage({ id: task.id, result }));
});
// Parsers load before the worker says it is ready, so no file's time budget pays for module loading.
await Promise.all(LANGUAGE_PLUGINS.map((plugin) => plugin.load()));
port.postMessage({ ready: true });
