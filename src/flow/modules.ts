import type { FileFacts } from '../model/facts.js';
import type { TsconfigFact } from './tsconfig.js';

/**
 * The one module resolver of the cross-file layer: which project file an import names. Endpoints (mounted
 * routers, handlers and guards in other files), data flow (summaries of imported functions) and the audit call
 * graph all ask it. JavaScript/TypeScript: relative paths with the extension list, `/index.*`, `.js` written for
 * a `.ts` file (NodeNext), tsconfig/jsconfig `baseUrl` and `paths` aliases (`@server/*`), the `@/`, `~/` and
 * `src/` conventions, and barrel re-exports. Python: dotted modules, relative imports with dots, packages
 * (`__init__.py`) and source roots below the repository root (`src/pkg`, `backend/app`).
 */

export const JS_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'] as const;

/** Barrel hops followed from the imported file (`export * from './x'` in `index.ts` …). */
const MAX_REEXPORT_DEPTH = 5;

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** `a/b` + `../c/./d` → `a/c/d`; `..` above the root stays at the root. */
function joinPath(dir: string, rel: string): string {
  const out = dir ? dir.split('/').filter(Boolean) : [];
  for (const seg of rel.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

function isPython(path: string): boolean {
  return path.endsWith('.py');
}

/** `app/api/__init__.py` → ['app', 'api']; `app/main.py` → ['app', 'main']. */
export function pythonModuleParts(path: string): string[] {
  const parts = path.replace(/\.pyi?$/, '').split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts;
}

/** The files a JS base path may be: itself, with an extension, its `index.*`; the same for `.js` written for `.ts`. */
function jsFileCandidates(base: string): string[] {
  const stripped = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
  const out: string[] = [];
  for (const b of stripped === base ? [base] : [base, stripped]) {
    out.push(b);
    for (const ext of JS_EXTENSIONS) out.push(b + ext);
    for (const ext of JS_EXTENSIONS) out.push(`${b}/index${ext}`);
  }
  return out;
}

function sharedSegments(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

interface AliasConfig {
  /** Pattern (at most one `*`) → targets, already joined to the folder they are relative to. */
  paths: Array<{ pattern: string; targets: string[] }>;
  baseUrl?: string;
}

/** A tsconfig `paths` pattern against a specifier: the text the `*` stands for, or null. */
function matchPattern(pattern: string, specifier: string): string | null {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === specifier ? '' : null;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (specifier.length < prefix.length + suffix.length || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) return null;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

export interface ResolveOptions {
  /**
   * Also match by path suffix anywhere in the project: a bare JS specifier (`services/user`) names every
   * `…/services/user.ts`, an absolute Python module (`app.crud`) every `…/app/crud.py`. For the call graph,
   * which narrows the candidates by function name afterwards.
   */
  suffix?: boolean;
}

export class ModuleResolver {
  private readonly byPath: Map<string, FileFacts>;
  private readonly memo = new Map<string, string | undefined>();
  private readonly configOf = new Map<string, AliasConfig | undefined>();
  private readonly configAt = new Map<string, AliasConfig | undefined>();
  private pyIndex: Map<string, string[]> | undefined;
  private suffixIndex: Map<string, string[]> | undefined;

  constructor(files: readonly FileFacts[]) {
    this.byPath = new Map(files.map((f) => [f.path, f]));
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  facts(path: string): FileFacts | undefined {
    return this.byPath.get(path);
  }

  /** The project file `specifier`, imported in `from`, names; undefined for a package or a file not in the project. */
  resolve(from: string, specifier: string): string | undefined {
    const key = `${from}\0${specifier}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const found = isPython(from)
      ? this.resolvePython(from, specifier)
      : this.jsBases(from, specifier)
          .flatMap(jsFileCandidates)
          .find((p) => this.byPath.has(p));
    this.memo.set(key, found);
    return found;
  }

  /**
   * Every project file `specifier` may name: all existing extension and index variants (JS), both `x.py` and
   * `x/__init__.py` (Python), the resolved file first; with `suffix`, also the path-suffix matches.
   */
  candidates(from: string, specifier: string, options: ResolveOptions = {}): string[] {
    const out = new Set<string>();
    const first = this.resolve(from, specifier);
    if (first) out.add(first);
    if (isPython(from)) {
      const dots = /^\.*/.exec(specifier)![0].length;
      if (dots > 0) {
        const base = this.pythonRelative(from, specifier).join('/');
        for (const c of [`${base}.py`, `${base}/__init__.py`]) if (this.byPath.has(c)) out.add(c);
      } else {
        const anchored = this.pythonAnchored(from, specifier);
        if (anchored) for (const c of [`${anchored}.py`, `${anchored}/__init__.py`]) if (this.byPath.has(c)) out.add(c);
        if (options.suffix) for (const c of this.pythonIndex().get(specifier) ?? []) out.add(c);
      }
      return [...out];
    }
    for (const c of this.jsBases(from, specifier).flatMap(jsFileCandidates)) if (this.byPath.has(c)) out.add(c);
    if (options.suffix && !specifier.startsWith('.')) {
      const index = this.pathSuffixIndex();
      for (const c of jsFileCandidates(specifier.replace(/^(@|~)\//, ''))) for (const p of index.get(c) ?? []) out.add(p);
    }
    return [...out];
  }

  /**
   * An imported name followed through barrel files: `lookup` is asked in the file the specifier resolves to, then
   * along its re-exports (`export * from './x'`, `export { a as b } from './y'`) with the name as exported there.
   */
  findExport<T>(from: string, specifier: string, name: string, lookup: (file: FileFacts, name: string) => T | undefined, depth = 0): T | undefined {
    const target = this.resolve(from, specifier);
    const file = target === undefined ? undefined : this.byPath.get(target);
    if (!file) return undefined;
    const found = lookup(file, name);
    if (found !== undefined) return found;
    if (depth >= MAX_REEXPORT_DEPTH) return undefined;
    for (const r of file.jsRoutes?.reexports ?? []) {
      if (r.exported !== name && r.exported !== '*') continue;
      const inner = this.findExport(file.path, r.module, r.imported === '*' ? name : r.imported, lookup, depth + 1);
      if (inner !== undefined) return inner;
    }
    return undefined;
  }

  // ---- JavaScript / TypeScript

  /** The base paths a JS specifier may name, most specific first (relative; tsconfig paths, baseUrl; conventions). */
  private jsBases(from: string, specifier: string): string[] {
    if (specifier.startsWith('.')) return [joinPath(dirname(from), specifier)];
    const bases: string[] = [];
    const config = this.aliasConfig(dirname(from));
    if (config) {
      // The pattern with the longest prefix before its `*` wins (TypeScript's rule); exact patterns first.
      let best: { pattern: string; targets: string[]; star: string } | undefined;
      for (const p of config.paths) {
        const star = matchPattern(p.pattern, specifier);
        if (star === null) continue;
        const exact = !p.pattern.includes('*');
        if (!best || exact || (best.pattern.includes('*') && p.pattern.indexOf('*') > best.pattern.indexOf('*'))) best = { ...p, star };
        if (exact) break;
      }
      if (best) for (const t of best.targets) bases.push(joinPath('', t.replace('*', best.star)));
      if (config.baseUrl !== undefined) bases.push(joinPath(config.baseUrl, specifier));
    }
    if (specifier.startsWith('@/') || specifier.startsWith('~/')) bases.push(`src/${specifier.slice(2)}`, specifier.slice(2));
    else if (specifier.startsWith('src/')) bases.push(specifier);
    return bases;
  }

  /** The aliases of the nearest tsconfig.json / jsconfig.json above `dir`. */
  private aliasConfig(dir: string): AliasConfig | undefined {
    if (this.configAt.has(dir)) return this.configAt.get(dir);
    let found: AliasConfig | undefined;
    const owner = ['tsconfig.json', 'jsconfig.json'].map((n) => (dir ? `${dir}/${n}` : n)).find((p) => this.byPath.has(p));
    if (owner) found = this.configFile(owner, 0);
    else if (dir !== '') found = this.aliasConfig(dirname(dir));
    this.configAt.set(dir, found);
    return found;
  }

  /** One config file's effective aliases: its own `paths` and `baseUrl`, else those it extends (relative `extends` only). */
  private configFile(path: string, depth: number): AliasConfig | undefined {
    if (this.configOf.has(path)) return this.configOf.get(path);
    this.configOf.set(path, undefined); // an `extends` cycle ends here
    const fact: TsconfigFact | undefined = this.byPath.get(path)?.tsconfig;
    if (!fact) return undefined;
    const dir = dirname(path);
    let parent: AliasConfig | undefined;
    for (const e of fact.extends ?? []) {
      if (!e.startsWith('.') || depth >= 8) continue;
      const p = joinPath(dir, e);
      const target = [p, `${p}.json`].find((c) => this.byPath.has(c));
      if (target) parent = this.configFile(target, depth + 1) ?? parent;
    }
    const baseUrl = fact.baseUrl !== undefined ? joinPath(dir, fact.baseUrl) : parent?.baseUrl;
    // `paths` targets are relative to baseUrl when there is one, else to the file that declares them.
    const paths = fact.paths
      ? Object.entries(fact.paths).map(([pattern, targets]) => ({ pattern, targets: targets.map((t) => joinPath(baseUrl ?? dir, t)) }))
      : (parent?.paths ?? []);
    const config: AliasConfig | undefined = paths.length > 0 || baseUrl !== undefined ? { paths, ...(baseUrl !== undefined ? { baseUrl } : {}) } : undefined;
    this.configOf.set(path, config);
    return config;
  }

  /** Every file under its path suffixes (`src/a/b.ts` under `src/a/b.ts`, `a/b.ts`, `b.ts`). */
  private pathSuffixIndex(): Map<string, string[]> {
    if (this.suffixIndex) return this.suffixIndex;
    const index = new Map<string, string[]>();
    for (const path of this.byPath.keys()) {
      const segs = path.split('/');
      for (let i = 0; i < segs.length; i++) {
        const suffix = segs.slice(i).join('/');
        const list = index.get(suffix);
        if (list) list.push(path);
        else index.set(suffix, [path]);
      }
    }
    this.suffixIndex = index;
    return index;
  }

  // ---- Python

  /** Each Python file under every dotted suffix of its module path: `backend/app/main.py` under `app.main` too. */
  private pythonIndex(): Map<string, string[]> {
    if (this.pyIndex) return this.pyIndex;
    const index = new Map<string, string[]>();
    for (const f of this.byPath.values()) {
      if (f.language !== 'python') continue;
      const parts = pythonModuleParts(f.path);
      for (let i = 0; i < parts.length; i++) {
        const key = parts.slice(i).join('.');
        const list = index.get(key);
        if (list) list.push(f.path);
        else index.set(key, [f.path]);
      }
    }
    this.pyIndex = index;
    return index;
  }

  /** `..models.user` from `app/api/views.py` → ['app', 'models', 'user']: dots climb from the importer's package. */
  private pythonRelative(from: string, name: string): string[] {
    const dots = /^\.+/.exec(name)![0].length;
    const dir = dirname(from).split('/').filter(Boolean);
    for (let i = 1; i < dots; i++) dir.pop();
    return [...dir, ...name.slice(dots).split('.').filter(Boolean)];
  }

  /** `app.db` from `backend/app/api/views.py` → `backend/app/db`: under the folder that holds the top package. */
  private pythonAnchored(from: string, name: string): string | undefined {
    const segments = name.split('.');
    const dirs = dirname(from).split('/');
    const at = dirs.indexOf(segments[0]!);
    return at < 0 ? undefined : [...dirs.slice(0, at), ...segments].join('/');
  }

  private resolvePython(from: string, name: string): string | undefined {
    let dotted: string;
    if (name.startsWith('.')) {
      const parts = this.pythonRelative(from, name);
      const base = parts.join('/');
      const exact = parts.length === 0 ? ['__init__.py'] : [`${base}.py`, `${base}/__init__.py`];
      const hit = exact.find((c) => this.byPath.has(c));
      if (hit) return hit;
      dotted = parts.join('.');
    } else {
      const anchored = this.pythonAnchored(from, name);
      const hit = anchored === undefined ? undefined : [`${anchored}.py`, `${anchored}/__init__.py`].find((c) => this.byPath.has(c));
      if (hit) return hit;
      dotted = name;
    }
    // A source root below the repository root: the candidate nearest the importer.
    const candidates = this.pythonIndex().get(dotted);
    if (!candidates || candidates.length === 0) return undefined;
    if (candidates.length === 1) return candidates[0];
    const dir = from.split('/');
    return [...candidates].sort((a, b) => sharedSegments(b.split('/'), dir) - sharedSegments(a.split('/'), dir) || a.length - b.length || (a < b ? -1 : 1))[0];
  }
}

const resolvers = new WeakMap<readonly FileFacts[], ModuleResolver>();

/** The resolver of a project's files, built once per file list. */
export function moduleResolver(files: readonly FileFacts[]): ModuleResolver {
  let r = resolvers.get(files);
  if (!r) {
    r = new ModuleResolver(files);
    resolvers.set(files, r);
  }
  return r;
}
