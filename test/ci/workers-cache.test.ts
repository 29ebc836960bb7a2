import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import { ExtractPool, PREFETCH, builtWorkerScript } from '../../src/engine/worker-pool.js';
import { findFiles } from '../../src/discovery/find-files.js';
import { toJson } from '../../src/report/json.js';
import { runCli } from '../helpers/cli.js';
import { GITHUB_TOKEN, makeProject } from './project.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'fixtures', 'projects', 'express-api');
/** `npm test` builds first; the worker path needs the compiled worker. */
const BUILT_WORKER = join(ROOT, 'dist', 'src', 'engine', 'extract-worker.js');

function requireBuild(): string {
  if (!existsSync(BUILT_WORKER)) throw new Error(`${BUILT_WORKER} is missing: run \`npm run build\` (npm test does) before these tests`);
  return BUILT_WORKER;
}

async function scanToJson(root: string, extra: Partial<ScanOptions> = {}): Promise<string> {
  return toJson(await scan(root, { rules: RULES, ...extra }), RULES);
}

describe('extraction in worker threads', () => {
  it('runs in-process from TypeScript sources (vitest): there is no worker script next to src/engine', () => {
    expect(builtWorkerScript()).toBeUndefined();
  });

  it('gives the same report in worker threads as in-process', async () => {
    const inProcess = await scanToJson(FIXTURE);
    const workers = await scanToJson(FIXTURE, { jobs: 2, workerScript: requireBuild() });
    expect(workers).toBe(inProcess);
  });

  it('the built CLI uses its own worker file and prints the same JSON as the in-process run', async () => {
    requireBuild();
    const built = spawnSync(process.execPath, [join(ROOT, 'bin', 'complianceagent.js'), 'scan', FIXTURE, '-f', 'json', '--jobs', '2', '--no-cache'], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    const local = await runCli(['scan', FIXTURE, '-f', 'json', '--jobs', '1', '--no-cache']);
    expect(built.stderr).toBe('');
    expect(built.stdout).toBe(local.stdout);
  });
});

describe('worker pool time budget and crashes', () => {
  /** A stand-in worker speaking the pool's protocol: 'slow.js' never finishes, 'crash.js' kills the worker. */
  function fakeWorker(): string {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-worker-')), 'worker.mjs');
    writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, file }) => {
  if (file.path === 'slow.js') for (;;) {}
  if (file.path === 'crash.js') throw new Error('boom');
  parentPort.postMessage({ id, result: { facts: { path: file.path, language: file.language, lineCount: 1, bindings: [], strings: [], imports: [] }, errors: [] } });
});
parentPort.postMessage({ ready: true });
`,
    );
    return file;
  }

  it('stops a file that overruns its budget, reports it as a timeout and goes on', async () => {
    const pool = new ExtractPool(fakeWorker(), 2, 300);
    try {
      const files = ['a.js', 'slow.js', 'b.js', 'c.js'].map((path) => ({ path, language: 'javascript' as const, text: 'x' }));
      const results = await Promise.all(files.map((f) => pool.run(f)));
      expect(results.map((r) => (r.facts ? `${r.facts.path} ok` : `${r.errors[0]!.path} ${r.errors[0]!.kind}: ${r.errors[0]!.message}`))).toEqual([
        'a.js ok',
        'slow.js timeout: parsing and extraction took longer than 300 ms and were stopped; the file was not analysed',
        'b.js ok',
        'c.js ok',
      ]);
    } finally {
      await pool.close();
    }
  });

  it('starts a second worker only when files queue up: a warm re-scan extracting a few files pays for one', async () => {
    const few = new ExtractPool(fakeWorker(), 2, 5000);
    try {
      const results = await Promise.all(['a.js', 'b.js', 'c.js'].map((path) => few.run({ path, language: 'javascript', text: 'x' })));
      expect(results.every((r) => r.facts)).toBe(true);
      expect(few.workers).toBe(1);
    } finally {
      await few.close();
    }
    const many = new ExtractPool(fakeWorker(), 2, 5000);
    try {
      const files = Array.from({ length: 40 }, (_, i) => ({ path: `f${i}.js`, language: 'javascript' as const, text: 'x' }));
      const results = await Promise.all(files.map((f) => many.run(f)));
      expect(results.every((r) => r.facts)).toBe(true);
      expect(many.workers).toBe(2);
    } finally {
      await many.close();
    }
  });

  it('turns a crashed worker into a scan error for that file and replaces the worker', async () => {
    const pool = new ExtractPool(fakeWorker(), 1, 5000);
    try {
      const results = await Promise.all(['crash.js', 'd.js'].map((path) => pool.run({ path, language: 'javascript', text: 'x' })));
      expect(results.map((r) => (r.facts ? `${r.facts.path} ok` : `${r.errors[0]!.kind}: ${r.errors[0]!.message}`))).toEqual([
        'parse: the extractor crashed: boom',
        'd.js ok',
      ]);
    } finally {
      await pool.close();
    }
  });

  const names = (results: Array<{ facts: { path: string } | null; errors: Array<{ path: string; kind: string; message: string }> }>) =>
    results.map((r) => (r.facts ? `${r.facts.path} ok` : `${r.errors[0]!.path} ${r.errors[0]!.kind}: ${r.errors[0]!.message}`));

  it(`posts up to ${PREFETCH} files ahead to a worker, which works through them in order`, async () => {
    // This worker holds what it is sent for a moment before it starts, and says how many files it held then.
    const file = join(mkdtempSync(join(tmpdir(), 'ca-worker-')), 'worker.mjs');
    writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
const held = [];
parentPort.on('message', (task) => {
  held.push(task);
  if (held.length === 1) setTimeout(next, 100);
});
function next() {
  const { id, file } = held[0];
  parentPort.postMessage({ id, result: { facts: { path: file.path + ' after ' + held.length, language: file.language, lineCount: 1, bindings: [], strings: [], imports: [] }, errors: [] } });
  held.shift();
  if (held.length > 0) setTimeout(next, 0);
}
parentPort.postMessage({ ready: true });
`,
    );
    const pool = new ExtractPool(file, 1, 5000);
    try {
      const files = Array.from({ length: PREFETCH + 2 }, (_, i) => ({ path: `f${i}.js`, language: 'javascript' as const, text: 'x' }));
      const results = await Promise.all(files.map((f) => pool.run(f)));
      // Results come back to the file that asked, in order; the first file waited with PREFETCH files in the worker.
      expect(results.map((r) => r.facts?.path.split(' ')[0])).toEqual(files.map((f) => f.path));
      expect(results[0]!.facts?.path).toBe(`f0.js after ${PREFETCH}`);
    } finally {
      await pool.close();
    }
  });

  it('times each file from when its worker turns to it, not from when it was posted ahead', async () => {
    // Four files of 400 ms on one worker with a 1000 ms budget: posted together, the third and fourth would overrun.
    const file = join(mkdtempSync(join(tmpdir(), 'ca-worker-')), 'worker.mjs');
    writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, file }) => {
  const until = Date.now() + 400;
  while (Date.now() < until) {}
  parentPort.postMessage({ id, result: { facts: { path: file.path, language: file.language, lineCount: 1, bindings: [], strings: [], imports: [] }, errors: [] } });
});
parentPort.postMessage({ ready: true });
`,
    );
    const pool = new ExtractPool(file, 1, 1000);
    try {
      const files = ['a.js', 'b.js', 'c.js', 'd.js'].map((path) => ({ path, language: 'javascript' as const, text: 'x' }));
      expect(names(await Promise.all(files.map((f) => pool.run(f))))).toEqual(['a.js ok', 'b.js ok', 'c.js ok', 'd.js ok']);
    } finally {
      await pool.close();
    }
  });

  it('gives back the files a timed-out worker held but had not started: a fresh worker extracts them', async () => {
    const pool = new ExtractPool(fakeWorker(), 1, 300);
    try {
      // One worker: slow.js is posted with the files behind it, which are stuck until the worker is stopped.
      const files = ['a.js', 'slow.js', 'b.js', 'c.js', 'd.js', 'e.js', 'slow.js', 'f.js'].map((path) => ({
        path,
        language: 'javascript' as const,
        text: 'x',
      }));
      expect(names(await Promise.all(files.map((f) => pool.run(f))))).toEqual([
        'a.js ok',
        'slow.js timeout: parsing and extraction took longer than 300 ms and were stopped; the file was not analysed',
        'b.js ok',
        'c.js ok',
        'd.js ok',
        'e.js ok',
        'slow.js timeout: parsing and extraction took longer than 300 ms and were stopped; the file was not analysed',
        'f.js ok',
      ]);
    } finally {
      await pool.close();
    }
  });

  it('a crash costs only the file the worker was on: the files it held go to its replacement', async () => {
    const pool = new ExtractPool(fakeWorker(), 2, 5000);
    try {
      const files = ['crash.js', 'a.js', 'b.js', 'crash.js', 'c.js', 'd.js', 'e.js', 'f.js', 'g.js'].map((path) => ({
        path,
        language: 'javascript' as const,
        text: 'x',
      }));
      const results = names(await Promise.all(files.map((f) => pool.run(f))));
      expect(results).toEqual(files.map((f) => (f.path === 'crash.js' ? 'crash.js parse: the extractor crashed: boom' : `${f.path} ok`)));
    } finally {
      await pool.close();
    }
  });

  it('a worker script that cannot load fails every file with that reason, and run() still resolves', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-worker-')), 'worker.mjs');
    writeFileSync(file, `throw new Error('cannot load');\n`);
    const pool = new ExtractPool(file, 1, 5000);
    try {
      const files = ['a.js', 'b.js'].map((path) => ({ path, language: 'javascript' as const, text: 'x' }));
      expect(names(await Promise.all(files.map((f) => pool.run(f))))).toEqual([
        'a.js parse: the extraction worker could not start: cannot load',
        'b.js parse: the extraction worker could not start: cannot load',
      ]);
    } finally {
      await pool.close();
    }
  });

  it('with the real worker, an overrun budget becomes timeout errors and the scan still completes', async () => {
    const discovered = (await findFiles(FIXTURE)).files.map((f) => f.path);
    const result = await scan(FIXTURE, { rules: RULES, jobs: 2, workerScript: requireBuild(), fileTimeoutMs: 1 });
    const timedOut = result.errors.filter((e) => e.kind === 'timeout').map((e) => e.path);
    // Not analysed: timed out, unreadable, unparseable (src/broken.js fails in Babel at once, and can finish within the
    // 1 ms), or a worker that died with the file (under load a terminated worker's replacement can fail too: that
    // file is reported as crashed, never dropped).
    const lost = (e: { kind: string; message: string }) =>
      e.kind === 'read' || (e.kind === 'parse' && /could not be parsed|crashed|could not start|pool is closed/.test(e.message));
    const notAnalysed = new Set([...timedOut, ...result.errors.filter(lost).map((e) => e.path)]);
    // 1 ms is too little for most files; whatever finished is analysed, the rest is reported, nothing is dropped.
    expect(timedOut.length).toBeGreaterThan(0);
    const analysed = Object.values(result.coverage.filesByLanguage).reduce((a, b) => a + (b ?? 0), 0);
    expect({ analysed: analysed + notAnalysed.size, discovered: discovered.length }).toEqual({ analysed: discovered.length, discovered: discovered.length });
  });
});

describe('facts cache', () => {
  function packs(dir: string): string[] {
    return readdirSync(dir).filter((f) => f.startsWith('facts-'));
  }

  it('a warm scan gives the same report as a cold one, and a changed file is extracted again', async () => {
    const project = makeProject({ 'a.js': `const t = '${GITHUB_TOKEN}';\n`, 'b.py': 'x = 1\n' });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const cold = await scanToJson(project, { cacheDir });
    expect(packs(cacheDir)).toHaveLength(1);
    expect(await scanToJson(project, { cacheDir })).toBe(cold);
    writeFileSync(join(project, 'b.py'), `API_TOKEN = "${GITHUB_TOKEN}"\n`);
    expect(await scanToJson(project, { cacheDir })).toBe(await scanToJson(project));
  });

  it('a scan answered from the cache starts no worker; a cold one and one with a changed file start one', async () => {
    const project = makeProject({ 'a.js': `const t = '${GITHUB_TOKEN}';\n`, 'b.py': 'x = 1\n' });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const dir = mkdtempSync(join(tmpdir(), 'ca-marker-'));
    const marker = join(dir, 'started');
    // The real worker, which leaves a mark each time one starts.
    const script = join(dir, 'marking-worker.mjs');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(marker)}, 'x');\nawait import(${JSON.stringify(pathToFileURL(requireBuild()).href)});\n`,
    );
    const starts = () => (existsSync(marker) ? readFileSync(marker, 'utf8').length : 0);
    const cold = await scanToJson(project, { cacheDir, workerScript: script });
    expect(starts()).toBe(1);
    expect(await scanToJson(project, { cacheDir, workerScript: script })).toBe(cold);
    expect(starts()).toBe(1);
    // A changed file: the pack exists, the worker starts when that file needs it.
    writeFileSync(join(project, 'b.py'), 'x = 2\n');
    await scanToJson(project, { cacheDir, workerScript: script });
    expect(starts()).toBe(2);
    // --no-cache is cold by definition (its worker starts before discovery, so that it loads meanwhile).
    expect(await scanToJson(project, { workerScript: script })).toBe(await scanToJson(project, { cacheDir }));
    expect(starts()).toBe(3);
  });

  /** Facts without the secret: a scan that wrongly trusted them would report nothing. */
  const forgetSecrets = (text: string): string => text.replace(/"bindings":\[[^\]]*\]/g, '"bindings":[]').replace(/"strings":\[[^\]]*\]/g, '"strings":[]');

  it('never scans a cache folder that lies inside the scanned tree', async () => {
    const project = makeProject({ 'a.js': `const t = '${GITHUB_TOKEN}';\n` });
    const cacheDir = join(project, '.complianceagent-cache');
    await scan(project, { rules: RULES, cacheDir });
    const again = await scan(project, { rules: RULES, cacheDir });
    expect(again.findings.map((f) => f.location.path)).toEqual(['a.js']);
    expect(again.coverage.skipped.map((s) => `${s.path} ${s.reason}`)).toContain('.complianceagent-cache/ excluded');
  });

  it.each([
    ['a truncated pack', (text: string) => text.slice(0, text.length / 2)],
    ['an entry whose facts are for another path', (text: string) => text.replace(/"path":"a\.js"/g, '"path":"elsewhere.js"')],
    ['an entry whose bindings are not a list', (text: string) => text.replace(/"bindings":\[[^\]]*\]/g, '"bindings":{}')],
    ['an entry stored under another key', (text: string) => forgetSecrets(text.replace(/"key":"[0-9a-f]+"/g, '"key":"0"'))],
    ['a pack of another format', (text: string) => forgetSecrets(text.replace('complianceagent-facts-cache', 'something-else'))],
  ])('ignores %s and extracts again', async (_, corrupt) => {
    const project = makeProject({ 'a.js': `const t = '${GITHUB_TOKEN}';\n` });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const cold = await scanToJson(project, { cacheDir });
    const pack = join(cacheDir, packs(cacheDir)[0]!);
    const original = readFileSync(pack, 'utf8');
    const corrupted = corrupt(original);
    expect(corrupted).not.toBe(original);
    writeFileSync(pack, corrupted);
    expect(await scanToJson(project, { cacheDir })).toBe(cold);
  });
});
