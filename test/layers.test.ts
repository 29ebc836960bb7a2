import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm test` runs `npm run lint:layers` (dependency-cruiser with .dependency-cruiser.cjs) on the project. This
// proves that command fails on a broken arrow: it runs the same command, with the project's config, on a tiny tree
// that breaks one rule at a time, and on one that breaks none.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const TSCONFIG = JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src', 'rules'] });

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path → source) into a fresh tree and runs lint:layers' command there. */
function cruise(files: Record<string, string>): { code: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ca-layers-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), TSCONFIG);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    const output = execFileSync(process.execPath, [DEPCRUISE, 'src', 'rules', '--config', CONFIG, '--output-type', 'err'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

/** A tree that follows every arrow of docs/architecture.md. */
const CLEAN: Record<string, string> = {
  'src/types.ts': 'export type Severity = "low" | "high";\n',
  'src/util/text.ts': 'import type { Severity } from "../types.js";\nexport const low: Severity = "low";\n',
  'src/model/rule.ts': 'import { low } from "../util/text.js";\nexport const rule = { severity: low };\n',
  'src/rule-api.ts': 'export { rule } from "./model/rule.js";\n',
  'rules/SOC2-001.ts': 'import { rule } from "../src/rule-api.js";\nexport default rule;\n',
  'src/engine/scan.ts': 'import { rule } from "../model/rule.js";\nexport const scan = () => rule;\n',
  'src/cli/run.ts': 'import { scan } from "../engine/scan.js";\nimport r from "../../rules/SOC2-001.js";\nexport const run = () => [scan(), r];\n',
};

describe('layer rules (npm run lint:layers)', () => {
  it('pass on a tree that follows the arrows', () => {
    const { code, output } = cruise(CLEAN);
    expect(output).toMatch(/no dependency violations found \(7 modules/);
    expect(code).toBe(0);
  });

  // One tree with every break at once: each depcruise run costs seconds (it loads TypeScript).
  const BROKEN: Array<[what: string, path: string, text: string, rules: string[]]> = [
    ['model imports the CLI', 'src/model/cli-leak.ts', 'import { run } from "../cli/run.js";\nexport const x = run;\n', ['nothing-imports-cli', 'layer-model']],
    ['model imports the engine', 'src/model/engine-leak.ts', 'import { scan } from "../engine/scan.js";\nexport const x = scan;\n', ['layer-model']],
    ['a rule imports the engine, not rule-api', 'rules/SOC2-002.ts', 'import { scan } from "../src/engine/scan.js";\nexport default scan;\n', ['layer-rules']],
    ['util imports the model', 'src/util/model-leak.ts', 'import { rule } from "../model/rule.js";\nexport const x = rule;\n', ['layer-util']],
    ['types.ts imports the project', 'src/errors.ts', 'import { low } from "./util/text.js";\nexport const y = low;\n', ['layer-types']],
    ['a cycle', 'src/engine/cycle-a.ts', 'import { b } from "./cycle-b.js";\nexport const a = () => b;\n', ['no-circular']],
  ];

  it('fail, naming each broken arrow, on a tree that breaks them', () => {
    const files = { ...CLEAN, 'src/engine/cycle-b.ts': 'import { a } from "./cycle-a.js";\nexport const b = () => a;\n' };
    for (const [, path, text] of BROKEN) files[path] = text;
    const { code, output } = cruise(files);
    expect(code).not.toBe(0);
    for (const [what, path, , rules] of BROKEN) {
      for (const rule of rules) expect(output, what).toContain(`error ${rule}: ${path} →`);
    }
    // The modules of the clean tree break nothing.
    expect(output).not.toMatch(/error [\w-]+: src\/(cli\/run|engine\/scan|model\/rule)\.ts →/);
  });
});
