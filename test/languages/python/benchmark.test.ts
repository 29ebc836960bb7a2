import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { extractPython } from '../../../src/languages/python/extract.js';
import { countLines } from '../../../src/util/lines.js';

/**
 * Throughput of parse + extract over a directory of Python (the interpreter's stdlib by default).
 * Opt-in: PYTHON_BENCH=1 [PYTHON_BENCH_DIR=…] npx vitest run test/languages/python/benchmark.test.ts
 */
const enabled = process.env.PYTHON_BENCH === '1';

function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'site-packages' && entry.name !== '__pycache__') pythonFiles(path, out);
    else if (entry.isFile() && entry.name.endsWith('.py')) out.push(path);
  }
  return out;
}

it.skipIf(!enabled)('extracts Python at ≥ 50k lines/s on one core without growing memory', { timeout: 600_000 }, async () => {
  const dir = process.env.PYTHON_BENCH_DIR ?? '/usr/lib/python3';
  const sources = pythonFiles(dir).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const lines = sources.reduce((sum, s) => sum + countLines(s.text), 0);
  await extractPython('warmup.py', 'x = 1\n');
  const rounds: string[] = [];
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let bindings = 0;
    let strings = 0;
    let errors = 0;
    const start = performance.now();
    for (const { path, text } of sources) {
      const { facts, syntaxErrors } = await extractPython(path, text);
      bindings += facts.bindings.length;
      strings += facts.strings.length;
      errors += syntaxErrors.length > 0 ? 1 : 0;
    }
    const seconds = (performance.now() - start) / 1000;
    best = Math.max(best, lines / seconds);
    const { rss, heapUsed } = process.memoryUsage();
    rounds.push(
      `round ${round + 1}: ${sources.length} files, ${lines} lines in ${seconds.toFixed(2)} s = ${Math.round(lines / seconds)} lines/s; ` +
        `${bindings} bindings, ${strings} strings, ${errors} files with syntax errors; rss ${Math.round(rss / 1e6)} MB, heap ${Math.round(heapUsed / 1e6)} MB`,
    );
  }
  console.log(rounds.join('\n'));
  expect(best).toBeGreaterThanOrEqual(50_000);
});
