import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { detectLanguage } from '../src/discovery/languages.js';
import { analyze } from '../src/engine/analyze.js';
import { extractFacts } from '../src/engine/extract.js';
import type { FileFacts } from '../src/model/facts.js';
import { parseAnnotations, type Annotation } from './helpers/annotations.js';

/**
 * The one generic fixture test. Every top-level folder under fixtures/rules/<id>/ is scanned as one small
 * project with all rules (loose files together form another), paths relative to that folder. Annotated lines
 * must match exactly: a failure lists Missing and Extra findings, never a count.
 */
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function projectsOf(ruleDir: string): Array<{ name: string; root: string; files: string[] }> {
  const entries = readdirSync(ruleDir, { withFileTypes: true });
  const loose = entries.filter((e) => e.isFile()).map((e) => join(ruleDir, e.name));
  const projects = entries.filter((e) => e.isDirectory()).map((e) => ({ name: e.name, root: join(ruleDir, e.name), files: walk(join(ruleDir, e.name)) }));
  return loose.length > 0 ? [{ name: '(loose files)', root: ruleDir, files: loose }, ...projects] : projects;
}

async function runProject(root: string, files: string[]) {
  const sources: Array<{ facts: FileFacts; text: string }> = [];
  const annotations: Array<Annotation & { path: string }> = [];
  const errors: string[] = [];
  for (const abs of files) {
    const path = relative(root, abs).split(sep).join('/');
    const language = detectLanguage(path);
    if (!language) continue;
    const text = readFileSync(abs, 'utf8');
    for (const a of parseAnnotations(text, path)) annotations.push({ ...a, path });
    const extracted = await extractFacts({ path, language, text });
    errors.push(...extracted.errors.map((e) => `${e.path}:${e.line ?? 0} ${e.kind}: ${e.message}`));
    if (extracted.facts) sources.push({ facts: extracted.facts, text });
  }
  const { findings, errors: ruleErrors } = analyze({ files: sources, rules: RULES });
  return { findings, annotations, errors: [...errors, ...ruleErrors.map((e) => e.message)] };
}

const ruleIds = readdirSync(FIXTURES)
  .filter((d) => statSync(join(FIXTURES, d)).isDirectory())
  .sort();

describe.each(ruleIds)('fixtures of %s', (ruleId) => {
  for (const project of projectsOf(join(FIXTURES, ruleId))) {
    it(`${project.name}: annotated lines match findings exactly`, async () => {
      const { findings, annotations, errors } = await runProject(project.root, project.files);
      expect(errors, 'fixtures must parse without scan errors').toEqual([]);
      const checked = new Set([ruleId, ...annotations.map((a) => a.ruleId)]);
      const found = new Map<string, (typeof findings)[number]>();
      for (const f of findings) if (checked.has(f.ruleId)) found.set(`${f.location.path}:${f.location.startLine} ${f.ruleId}`, f);
      const problems: string[] = [];
      const annotated = new Set<string>();
      for (const a of annotations) {
        const key = `${a.path}:${a.line} ${a.ruleId}`;
        annotated.add(key);
        const hit = found.get(key);
        if (a.mark === 'ruleid' && !hit) problems.push(`Missing: ${key}`);
        if (a.mark === 'ruleid' && hit && a.severity && hit.severity !== a.severity)
          problems.push(`Wrong severity: ${key} is ${hit.severity}, expected ${a.severity}`);
        if (a.mark === 'ok' && hit) problems.push(`Extra (marked ok): ${key} — ${hit.message}`);
        if (a.mark === 'todoruleid' && hit) problems.push(`Now found (change todoruleid to ruleid): ${key}`);
        if (a.mark === 'todook' && !hit) problems.push(`No longer reported (change todook to ok): ${key}`);
      }
      for (const [key, f] of found) if (!annotated.has(key)) problems.push(`Extra (not annotated): ${key} — ${f.message}`);
      expect(problems.sort()).toEqual([]);
    });
  }
});
