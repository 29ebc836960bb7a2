import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { extractJavaScript } from '../../src/languages/javascript/extract.js';
import type { JsFeatureInput } from '../../src/languages/javascript/feature-input.js';
import { parseJavaScript } from '../../src/languages/javascript/parse.js';
import { NodeIndex } from '../../src/languages/javascript/visit.js';
import { extractPython } from '../../src/languages/python/extract.js';
import type { PyFeatureInput } from '../../src/languages/python/feature-input.js';
import { parsePythonSyntax } from '../../src/languages/python/parse.js';
import type { Language } from '../../src/model/facts.js';

/** The project's fixtures folder. */
export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
/** JS/TS file names, as the JavaScript plugin takes them. */
export const JS_FILE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;

/** Every file under fixtures/ whose path matches, in sorted order: [path relative to fixtures/, text]. */
export function fixtureFiles(name: RegExp): Array<[string, string]> {
  return readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((f) => name.test(f))
    .sort()
    .map((f) => [f, readFileSync(join(FIXTURES, f), 'utf8')]);
}

/**
 * What a JS/TS feature extractor is given for a file (its base facts, tree and node index), as extract.ts gives it;
 * throws when Babel gives no tree at all.
 */
export function jsFeatureInput(path: string, text: string, language: Language = /\.[cm]?tsx?$/.test(path) ? 'typescript' : 'javascript'): JsFeatureInput {
  const { facts } = extractJavaScript(path, language, text);
  const { ast } = parseJavaScript(path, text);
  return { ast, index: NodeIndex.build(ast), path, language, text, facts };
}

/** What a Python feature extractor is given for a file (its base facts and syntax tree). */
export async function pyFeatureInput(path: string, text: string): Promise<PyFeatureInput> {
  const { root } = await parsePythonSyntax(text);
  const { facts } = await extractPython(path, text);
  return { root, path, text, facts };
}

/** One file's facts with and without a feature's gate, and the gate's answer. */
export interface GatedRun {
  gated: unknown;
  full: unknown;
  passes: boolean;
}

/**
 * Runs `both` on each file and expects the same facts with and without the gate; returns how many files were compared,
 * how many have facts, and how many the gate turned away (a comparison means something only when both are many).
 * `null` from `both`, or with `unparsable: 'skip'` a throw (Babel gives no tree at all), leaves the file out.
 */
export async function compareGate(
  files: ReadonlyArray<[string, string]>,
  both: (path: string, text: string) => GatedRun | null | Promise<GatedRun | null>,
  unparsable: 'skip' | 'fail' = 'fail',
): Promise<{ compared: number; withFacts: number; gatedOut: number }> {
  let compared = 0;
  let withFacts = 0;
  let gatedOut = 0;
  for (const [path, text] of files) {
    let run: GatedRun | null;
    try {
      run = await both(path, text);
    } catch (error) {
      if (unparsable === 'fail') throw error;
      continue;
    }
    if (!run) continue;
    compared++;
    expect(run.gated, path).toEqual(run.full);
    if (run.full !== undefined) withFacts++;
    if (!run.passes) gatedOut++;
  }
  return { compared, withFacts, gatedOut };
}
