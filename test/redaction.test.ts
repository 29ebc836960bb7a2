import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect, it } from 'vitest';
import { detectLanguage } from '../src/discovery/languages.js';
import { extractFacts } from '../src/engine/extract.js';
import { findConnectionStringPassword, findProviderSecrets } from '../src/model/secrets.js';
import { RULES } from '../rules/index.js';
import { parseAnnotations } from './helpers/annotations.js';
import { runCli } from './helpers/cli.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'rules', 'SOC2-002');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The tool's own words (rule titles, messages, docs): a weak value such as 'secret' is one of them. */
const TOOL_TEXT = JSON.stringify(RULES);
/** Flagged values that are also the tool's own words, with the source lines that hold them. */
const words = new Map<string, string[]>();

/**
 * A value leaks when it appears in the output. A value that is also one of the tool's own words (a weak secret such
 * as `'secret'`, which every SOC2-002 message contains) leaks when a source line holding it appears unmasked.
 */
function leaks(output: string, value: string): boolean {
  const lines = words.get(value);
  if (!lines) return output.includes(value);
  return lines.some((line) => output.includes(line) || output.includes(JSON.stringify(line).slice(1, -1)));
}

/** The secret values on every line annotated `ruleid: SOC2-002`, read from the facts, not typed in here. */
async function flaggedSecrets(): Promise<string[]> {
  const secrets = new Set<string>();
  words.clear();
  for (const abs of walk(DIR)) {
    const path = relative(DIR, abs).split(sep).join('/');
    const language = detectLanguage(path);
    if (!language) continue;
    const text = readFileSync(abs, 'utf8');
    const lines = new Set(
      parseAnnotations(text, path)
        .filter((a) => a.mark === 'ruleid')
        .map((a) => a.line),
    );
    const { facts } = await extractFacts({ path, language, text });
    for (const item of [...(facts?.bindings ?? []), ...(facts?.strings ?? [])]) {
      if (!lines.has(item.range.start.line)) continue;
      for (const hit of findProviderSecrets(item.value)) secrets.add(hit.secret);
      const conn = findConnectionStringPassword(item.value);
      if (conn) secrets.add(conn.password);
      else if ('kind' in item) secrets.add(item.value);
      if (TOOL_TEXT.includes(item.value)) words.set(item.value, [...(words.get(item.value) ?? []), text.split(/\r?\n/)[item.range.start.line - 1]!.trim()]);
    }
  }
  return [...secrets].filter((s) => s.length >= 6);
}

it('no secret value appears in terminal, JSON or SARIF output', async () => {
  const secrets = await flaggedSecrets();
  expect(secrets.length).toBeGreaterThan(25);
  const outputs = await Promise.all(
    [
      ['--format', 'terminal'],
      ['--format', 'json'],
      ['--format', 'sarif'],
      ['--format', 'sarif', '--sarif-profile', 'github'],
      ['--group-by', 'rule'],
    ].map((flags) => runCli(['scan', DIR, '--fail-on', 'none', ...flags])),
  );
  for (const out of outputs) {
    expect(out.code).toBe(0);
    expect(out.stdout.length).toBeGreaterThan(1000);
    const leaked = secrets.filter((s) => leaks(out.stdout, s) || leaks(out.stderr, s));
    expect(leaked).toEqual([]);
  }
});
