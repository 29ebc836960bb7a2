import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { detectLanguage } from '../../../src/discovery/languages.js';
import { extractFacts } from '../../../src/engine/extract.js';
import type { FileFacts } from '../../../src/model/facts.js';
import type { Endpoint, HttpApp } from '../../../src/model/endpoints.js';
import { resolvePythonEndpoints } from '../../../src/languages/python/frameworks/resolve.js';

export interface PythonModel {
  endpoints: Endpoint[];
  apps: HttpApp[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !['node_modules', '.git', '.venv', 'venv', '__pycache__'].includes(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Extracts every Python file under `root` (paths relative to it) and resolves its endpoints, in file/line order. */
export async function modelOf(root: string): Promise<PythonModel> {
  const sources: Record<string, string> = {};
  for (const abs of walk(root)) {
    const path = relative(root, abs).split(sep).join('/');
    if (detectLanguage(path) === 'python') sources[path] = readFileSync(abs, 'utf8');
  }
  return modelOfSources(sources);
}

/** The same for in-memory files: `{ 'app/main.py': '…' }`. */
export async function modelOfSources(sources: Record<string, string>): Promise<PythonModel> {
  const facts: FileFacts[] = [];
  for (const [path, text] of Object.entries(sources)) {
    const extracted = await extractFacts({ path, language: 'python', text });
    if (extracted.facts) facts.push(extracted.facts);
  }
  const { endpoints, apps } = resolvePythonEndpoints(facts);
  const key = (e: Endpoint) => `${e.file}\u0000${String(e.range.start.line).padStart(6, '0')}\u0000${e.methods.join(',')}\u0000${e.path}`;
  return { endpoints: endpoints.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)), apps };
}

/** One line per endpoint: `GET /api/users/{id} routers/users.py:8 [authentication:route:CurrentUser (Depends(get_current_user))]`. */
export function inventoryLines(model: PythonModel): string[] {
  return model.endpoints.map((e) => {
    const guards = e.guards.map((g) => `${g.kind}:${g.scope}:${g.name}`).join(', ');
    const opt = e.optOuts.length > 0 ? ` optOut(${e.optOuts.join(', ')})` : '';
    return `${e.framework} ${e.methods.join(',')} ${e.path} ${e.file}:${e.range.start.line} [${guards}]${opt}`;
  });
}

/** An endpoint as a test compares it: every field, positions as `file:line`. */
export function summary(e: Endpoint): {
  methods: string;
  path: string;
  at: string;
  handler?: string;
  guards: string[];
  optOuts?: string[];
  unmounted?: true;
  handlerFacts?: string;
} {
  const out: ReturnType<typeof summary> = {
    methods: e.methods.join(','),
    path: e.path,
    at: `${e.file}:${e.range.start.line}`,
    guards: e.guards.map((g) => `${g.kind} ${g.scope} ${g.name} @${g.path}:${g.line}`),
  };
  if (e.handler) out.handler = `${e.handler.file}:${e.handler.range.start.line} ${e.handler.name ?? ''}`.trim();
  if (e.optOuts.length > 0) out.optOuts = e.optOuts;
  if (e.unmounted) out.unmounted = true;
  const f = e.handlerFacts;
  if (f) {
    const a = f.recordAccess;
    out.handlerFacts = [
      a ? `${a.op} ${a.call} by ${a.name} from ${a.source} @${a.line}` : 'no record access',
      f.ownership ? 'ownership' : '',
      f.verifiesSignature ? 'signature' : '',
      ...(f.signals ?? []),
    ]
      .filter(Boolean)
      .join(', ');
  }
  return out;
}
