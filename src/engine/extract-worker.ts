/**
 * Worker-thread entry: parses and extracts one file per message. Runs only as compiled JS
 * (dist/src/engine/extract-worker.js); the Python parser initialises once per worker on first use.
 */
import { parentPort } from 'node:worker_threads';
import { extractFacts, type SourceFile } from './extract.js';

const port = parentPort;
if (!port) throw new Error('extract-worker.js runs only as a worker thread');
port.on('message', (task: { id: number; file: SourceFile }) => {
  void extractFacts(task.file).then((result) => port.postMessage({ id: task.id, result }));
});
port.postMessage({ ready: true });
