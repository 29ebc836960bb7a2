import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import { DEFAULT_FILE_TIMEOUT_MS } from '../../src/engine/worker-pool.js';
import { syntheticToken } from '../../src/model/secrets.js';

/**
 * Issue 12, item 6: every file has a time budget, with or without worker threads. Scans of fewer than 200 files
 * used to extract in-process with no budget at all: a 15 MB Python file (let in by --max-file-size) ran for
 * minutes and gigabytes. Extraction now runs in a worker whenever the built worker exists (a single one for small
 * scans and --jobs 1), where an overrun is stopped; from TypeScript sources (in-process) it is reported.
 */

const ROOT = join(import.meta.dirname, '..', '..');
/** `npm test` builds first; the worker path needs the compiled worker. */
const BUILT = join(ROOT, 'dist', 'src', 'engine');

function requireBuild(): string {
  const worker = join(BUILT, 'extract-worker.js');
  if (!existsSync(worker)) throw new Error(`${worker} is missing: run \`npm run build\` (npm test does) before these tests`);
  return worker;
}

const TOKEN = syntheticToken('ghp_', 36, undefined, 12);
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Ordinary Python, ~150 bytes a function: 15 MB takes minutes to extract (time grows faster than size). */
function bigPython(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `def handler_${i}(request, user_id):\n    password = request.form.get("password")\n    db.execute("SELECT * FROM users WHERE id = %s" % user_id)\n    return {"id": user_id}\n\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

function project(big: string, bigName: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-budget-'));
  temps.push(dir);
  writeFileSync(join(dir, bigName), big);
  writeFileSync(join(dir, 'app.js'), `const token = '${TOKEN}';\n`);
  return dir;
}

let fifteen: string | undefined;
/** One 15 MB project shared by the worker cases (writing it takes a moment). */
function fifteenMegabytes(): string {
  fifteen ??= project(bigPython(15_000_000), 'big.py');
  return fifteen;
}

function summary(result: Awaited<ReturnType<typeof scan>>) {
  return {
    timeouts: result.errors.filter((e) => e.kind === 'timeout').map((e) => `${e.path}: ${e.message}`),
    findings: result.findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.startLine}`),
    analysed: result.coverage.filesByLanguage,
  };
}

describe('per-file time budget (issue 12)', () => {
  it('defaults to 30 s', () => {
    expect(DEFAULT_FILE_TIMEOUT_MS).toBe(30_000);
  });

  it.each<[string, Partial<ScanOptions>]>([
    ['a small scan (default jobs: one worker)', {}],
    ['--jobs 1 (one worker)', { jobs: 1 }],
    ['--jobs 2', { jobs: 2 }],
  ])(
    'stops a 15 MB Python file at its budget in %s, reports a timeout and scans the rest',
    async (_, extra) => {
      const dir = fifteenMegabytes();
      const started = Date.now();
      const result = await scan(dir, { rules: RULES, maxFileBytes: 20_000_000, fileTimeoutMs: 1000, workerScript: requireBuild(), ...extra });
      const took = Date.now() - started;
      expect(summary(result)).toEqual({
        timeouts: ['big.py: parsing and extraction took longer than 1000 ms and were stopped; the file was not analysed'],
        findings: ['SOC2-002 app.js:1'],
        analysed: { javascript: 1 },
      });
      // Unbudgeted, this file takes minutes; reading, posting and a worker start are what remains.
      expect(took).toBeLessThan(20_000);
    },
    60_000,
  );

  it('holds in the built package with default options: no worker script to pass, fewer than 200 files', () => {
    requireBuild();
    const dir = fifteenMegabytes();
    const script = `
      const { scan } = await import(${JSON.stringify(join(BUILT, 'scan.js'))});
      const { RULES } = await import(${JSON.stringify(join(ROOT, 'dist', 'rules', 'index.js'))});
      const result = await scan(process.argv[1], { rules: RULES, maxFileBytes: 20_000_000, fileTimeoutMs: 1000 });
      console.log(JSON.stringify(result.errors.map((e) => e.path + ' ' + e.kind)));
    `;
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, dir], { encoding: 'utf8', timeout: 50_000 });
    expect({ stderr: run.stderr, stdout: run.stdout.trim(), signal: run.signal }).toEqual({ stderr: '', stdout: '["big.py timeout"]', signal: null });
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('in-process (TypeScript sources, no worker script) reports a file that overran its budget and goes on', async () => {
    // ~300 KB of JavaScript: well over 100 ms to parse and extract on any machine, yet quick enough to wait for.
    const big = Array.from({ length: 3000 }, (_, i) => `export function handler${i}(req, res) { return res.json({ id: req.params.id, n: ${i} }); }\n`).join('');
    const dir = project(big, 'big.js');
    // Warm the parser and extractors first: the first file of a process pays their JIT warm-up (hundreds of ms on a
    // loaded machine), and that cost is not the small file's. Only big.js's own work may overrun the budget then.
    await scan(project('export const warm = 1;\n', 'warm.js'), { rules: RULES, fileTimeoutMs: 60_000 });
    const result = await scan(dir, { rules: RULES, fileTimeoutMs: 100 });
    expect(summary(result)).toEqual({
      timeouts: ['big.js: parsing and extraction took longer than 100 ms; the file was not analysed'],
      findings: ['SOC2-002 app.js:1'],
      analysed: { javascript: 1 },
    });
  }, 60_000);
});
