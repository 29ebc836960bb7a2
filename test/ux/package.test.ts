import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackEntry {
  filename: string;
  files: Array<{ path: string }>;
}

/** What `npm pack` would publish; scripts are skipped (`npm test` has built dist/ already). */
function packList(): string[] {
  expect(existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
  const out = execFileSync(NPM, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (JSON.parse(out) as PackEntry[])[0]!.files.map((f) => f.path).sort();
}

describe('the npm package', () => {
  let files: string[];
  beforeAll(() => {
    files = packList();
  }, 60_000);

  it('declares the bin, the files to publish and a clean build before packing', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
      scripts: Record<string, string>;
      engines: { node: string };
    };
    expect(pkg.bin).toEqual({ complianceagent: 'bin/complianceagent.js' });
    expect(readFileSync(join(ROOT, pkg.bin.complianceagent!), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(pkg.scripts.prepack).toMatch(/rmSync\('dist'.*&& npm run build$/);
    expect(pkg.engines.node).toBe('>=20');
  });

  it('holds the binary, the built JavaScript, the rule docs and the README, and no sources, tests or fixtures', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/complianceagent.js',
        'dist/src/cli/main.js',
        'dist/src/engine/extract-worker.js',
        'dist/rules/index.js',
      ]),
    );
    const ruleDocs = readdirSync(join(ROOT, 'rules'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `rules/${f}`);
    expect(ruleDocs.length).toBeGreaterThanOrEqual(10);
    expect(files).toEqual(expect.arrayContaining(ruleDocs));
    if (existsSync(join(ROOT, 'LICENSE'))) expect(files).toContain('LICENSE');
    const unwanted = files.filter(
      (f) => /^(test|fixtures|src|bench|node_modules|\.github)\//.test(f) || /(?<!\.d)\.ts$/.test(f) || f.endsWith('.map') || /(^|\/)\.complianceagent/.test(f),
    );
    expect(unwanted).toEqual([]);
    // Every module the CLI imports is in the package: each compiled source file has its .js.
    const builtSources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => `dist/src/${f.replace(/\\/g, '/').replace(/\.ts$/, '.js')}`);
    expect(builtSources.filter((f) => !files.includes(f))).toEqual([]);
  });

  it('runs from the unpacked tarball: rule docs, the Python grammar and a scan of a folder elsewhere', () => {
    const work = mkdtempSync(join(tmpdir(), 'ca-pack-'));
    execFileSync(NPM, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
    const installed = join(work, 'package');
    // Its dependencies, as an install would provide them.
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');
    const bin = join(installed, 'bin', 'complianceagent.js');
    const explain = spawnSync(process.execPath, [bin, 'rules', 'explain', 'SOC2-002'], { encoding: 'utf8' });
    expect(explain.status, explain.stderr).toBe(0);
    expect(explain.stdout).toContain('## Why it matters for SOC 2');
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'settings.py'), "STRIPE_KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'\n");
    const scan = spawnSync(process.execPath, [bin, 'scan', project, '--no-cache', '--compact'], { encoding: 'utf8', cwd: work });
    expect(scan.stderr).toBe('');
    expect(scan.stdout).toMatch(/^settings\.py:1:\d+: critical SOC2-002 /);
    expect(scan.status).toBe(1);
    // The SDK subpath export resolves from the unpacked package, with its type declarations beside it.
    const sdk = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('complianceagent/sdk'); console.log(typeof m.auditLog, typeof m.encryptField, typeof m.accessControl)",
      ],
      { encoding: 'utf8', cwd: installed },
    );
    expect(sdk.stderr).toBe('');
    expect(sdk.stdout.trim()).toBe('function function function');
    expect(existsSync(join(installed, 'dist', 'src', 'sdk', 'index.d.ts'))).toBe(true);
  }, 60_000);
});
