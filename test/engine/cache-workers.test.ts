import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import { toJson } from '../../src/report/json.js';
import { ExtractPool } from '../../src/engine/worker-pool.js';
import { prepareEntry } from '../../src/engine/cache-entry.js';
import { extractFacts } from '../../src/engine/extract.js';
import { GITHUB_TOKEN, makeProject } from '../ci/project.js';
import { parsePack } from './cache-pack.js';

const BUILT_WORKER = join(import.meta.dirname, '..', '..', 'dist', 'src', 'engine', 'extract-worker.js');

async function scanToJson(root: string, extra: Partial<ScanOptions> = {}): Promise<string> {
  return toJson(await scan(root, { rules: RULES, ...extra }), RULES);
}

function pack(dir: string): string {
  const [name] = readdirSync(dir).filter((f) => f.startsWith('facts-'));
  return readFileSync(join(dir, name!), 'utf8');
}

describe('facts cache entries prepared in worker threads', () => {
  it('write the same pack as in-process extraction, secrets cut out, and a warm scan trusts it', async () => {
    if (!existsSync(BUILT_WORKER)) throw new Error(`${BUILT_WORKER} is missing: run \`npm run build\` (npm test does) before this test`);
    const project = makeProject({
      'a.js': `const token = '${GITHUB_TOKEN}';\nconst db = 'postgres://app:s3cretPassw0rd@db.internal/app';\n`,
      'b.py': `API_TOKEN = "${GITHUB_TOKEN}"\n`,
      'c.ts': 'export const greeting = "hello world, nothing secret";\n',
    });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const cold = await scanToJson(project, { cacheDir, jobs: 2, workerScript: BUILT_WORKER });
    const fromWorkers = pack(cacheDir);
    expect(fromWorkers).not.toContain(GITHUB_TOKEN);
    expect(fromWorkers).not.toContain('s3cretPassw0rd');
    // The same folder key: the in-process pack must be byte for byte what the workers wrote.
    for (const f of readdirSync(cacheDir).filter((f) => f.startsWith('facts-'))) rmSync(join(cacheDir, f));
    expect(await scanToJson(project, { cacheDir })).toBe(cold);
    expect(pack(cacheDir)).toBe(fromWorkers);
    expect(parsePack(fromWorkers).entries['a.js']!.meta.values.length).toBeGreaterThan(0);
    // Warm, from the workers' pack: the same report (the secrets are put back from the text).
    const again = await scan(project, { rules: RULES, cacheDir });
    expect(toJson(again, RULES)).toBe(cold);
    expect(again.findings.some((f) => f.ruleId === 'SOC2-002' && f.location.path === 'a.js')).toBe(true);
  });

  it('are prepared by the worker itself, as the main thread would prepare them', async () => {
    const key = new Uint8Array(32).fill(7);
    const pool = new ExtractPool(BUILT_WORKER, 1, 30_000, { cacheEntryKey: key });
    try {
      const file = { path: 'a.js', language: 'javascript' as const, text: `const token = '${GITHUB_TOKEN}';\n` };
      const { prepared, ...extracted } = await pool.run(file, 'k1');
      expect(prepared).toEqual(prepareEntry(key, file.path, 'k1', await extractFacts(file), file.text));
      expect(prepared && 'line' in prepared && prepared.line.includes(GITHUB_TOKEN)).toBe(false);
      expect(extracted.facts?.bindings.some((b) => b.value === GITHUB_TOKEN)).toBe(true);
      expect((await pool.run(file)).prepared).toBeUndefined();
    } finally {
      await pool.close();
    }
  });
});
