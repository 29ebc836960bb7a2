import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { detectLanguage } from '../../../src/discovery/languages.js';
import { extractFacts } from '../../../src/engine/extract.js';
import type { Endpoint } from '../../../src/model/endpoints.js';
import type { FileFacts } from '../../../src/model/facts.js';
import { buildProjectModel, type ProjectModel } from '../../../src/engine/project.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'rules');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Extracts every file of a fixture project and builds its model (paths relative to the project folder). */
export async function loadProject(root: string): Promise<ProjectModel> {
  const facts: FileFacts[] = [];
  for (const abs of walk(root).sort()) {
    const path = relative(root, abs).split(sep).join('/');
    const language = detectLanguage(path);
    if (!language) continue;
    const extracted = await extractFacts({ path, language, text: readFileSync(abs, 'utf8') });
    if (extracted.facts) facts.push(extracted.facts);
  }
  return buildProjectModel(facts);
}

/** One line per endpoint: `METHOD path file:line | kind:name@scope …` — a diff names the extractor's mistake. */
export function describeEndpoint(e: Endpoint): string {
  const guards = e.guards.map((g) => `${g.kind}:${g.name}@${g.scope}`).join(', ');
  const extra = [
    e.optOuts.length > 0 ? `opt-outs:${e.optOuts.join(',')}` : '',
    e.unmounted ? 'unmounted' : '',
    e.handlerFacts?.recordAccess ? `access:${e.handlerFacts.recordAccess.op}:${e.handlerFacts.recordAccess.source}.${e.handlerFacts.recordAccess.name}` : '',
    e.handlerFacts?.ownership ? 'ownership' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `${e.methods.join(',')} ${e.path} ${e.file}:${e.range.start.line} | ${guards}${extra ? ` | ${extra}` : ''}`;
}
