import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

/** Fixture apps copied outside the repository, so paths are relative to the app. */
function copy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-nest-paths-'));
  cpSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'rules', 'SOC2-001', name), dir, { recursive: true });
  return dir;
}

async function paths(dir: string): Promise<Array<{ method: string; path: string; publicByDesign?: string }>> {
  const r = await runCli(['endpoints', dir, '-f', 'json', '--no-cache']);
  return (JSON.parse(r.stdout) as { endpoints: Array<{ method: string; path: string; publicByDesign?: string }> }).endpoints;
}

describe('endpoint paths', () => {
  let nest: string;
  let flask: string;
  beforeAll(() => {
    nest = copy('nestjs-versioning');
    flask = copy('flask-public-by-design');
  });

  it('NestJS: URI versioning (default, controller and @Version) and global prefix exclusions', async () => {
    expect((await paths(nest)).map((e) => `${e.method} ${e.path}`)).toEqual(['POST /api/v2/orders', 'POST /api/v3/orders/bulk', 'GET /v1/health']);
  });

  it('Flask: an f-string path with an unknown prefix is shown unresolved, never as /; reasons are given', async () => {
    const list = await paths(flask);
    expect(list.map((e) => e.path)).toContain('/{prefix}admin/reports/');
    expect(list.some((e) => e.path === '/')).toBe(false);
    expect(list.find((e) => e.path === '/logout')?.publicByDesign).toBe('logout');
  });
});
