import type { AuditFunction, AuditMechanism, CallRef, HandlerHint, LogStrength } from '../model/audit-facts.js';
import type { FileFacts } from '../model/facts.js';
import type { Endpoint } from '../model/endpoints.js';
import { looksLikeTestPath } from '../model/secrets.js';
import { auditTriggerTable } from '../model/string-facts.js';
import { moduleResolver, type ModuleResolver } from './modules.js';

/**
 * The project call graph over audit facts (SOC2-003, SOC2-010): which functions handle requests (from the endpoint
 * model, else from handler hints), which project functions each one calls, and how strongly a call chain logs.
 * Calls are resolved by name, narrowed by import source, receiver (`usersService` → class `UsersService`), same
 * class or same file; a generic name (`create`, `save`) with nothing to narrow it is left unresolved rather than
 * joined to every function of that name.
 */

export interface AuditNode {
  id: number;
  file: string;
  fn: AuditFunction;
  /** Set when the function handles requests: the endpoint (`POST /users`) or the hint it was recognised by. */
  handler?: { endpoint?: string; hint?: HandlerHint };
}

export interface ChainInfo {
  root: AuditNode;
  /** Root first, the function last. */
  path: AuditNode[];
}

export interface AuditGraph {
  nodes: AuditNode[];
  /** The ids of the project functions a function calls (resolved on first use). */
  calleesOf: (id: number) => readonly number[];
  /** Project-wide audit mechanisms with the file they are declared in. */
  mechanisms: Array<AuditMechanism & { file: string }>;
  /** Request handlers and framework-invoked auth callbacks. */
  roots: AuditNode[];
  /** Strongest logging in the function itself. */
  ownLog: (id: number) => number;
  /**
   * Strongest logging in the function itself or in a logging helper it calls: a project function that logs and
   * neither writes nor performs a security event (CTFd's `log('submissions', …)`, whose body is `logger.info(…)`).
   */
  helperLog: (id: number) => number;
  /** Strongest logging in the function or anything it calls in the project. */
  reachLog: (id: number) => number;
  /** Event kinds performed by the functions a function calls (transitively, itself excluded). */
  calleeEventKinds: (id: number) => ReadonlySet<string>;
  /** Every handler chain reaching a function (one shortest path per root). */
  chainsTo: (id: number) => ChainInfo[];
  /** Whether the call of `name` at `line` in a function resolves to a function of the project. */
  callsProjectFunction: (id: number, name: string, line: number) => boolean;
}

export const LOG_RANK: Record<LogStrength, number> = { console: 1, logger: 2, audit: 3 };

/**
 * The name of a project function that records what its caller did (CTFd's `log('submissions', …)`, `audit_event`,
 * `recordActivity`, `logAction`): with a logger call of its own and no write or event, calling it logs.
 */
export const LOG_HELPER_NAME =
  /^_*(?:log|audit|record|track)(?:[A-Z]\w*|_[a-z]\w*)?$|^_*(?:write|add|create|emit|send)_?(?:log|audit|Log|Audit)(?:[A-Z]\w*|_[a-z]\w*)?$/;
export const LOG_HELPER_NAME_SAMPLES = {
  must: ['log', 'audit', 'audit_event', 'logAction', 'recordActivity', 'track_event', '_log', 'write_audit_log', 'createAuditEntry'],
  mustNot: ['configureApp', 'login', 'logout', 'logo_url', 'records_for', 'tracker', 'get_logger', 'catalog', 'update'],
};

const GENERIC = new Set([
  'create',
  'update',
  'delete',
  'save',
  'get',
  'find',
  'findOne',
  'findAll',
  'findMany',
  'remove',
  'list',
  'add',
  'run',
  'execute',
  'handle',
  'call',
  'send',
  'init',
  'main',
  'index',
  'process',
  'validate',
  'render',
  'default',
  'query',
  'filter',
  'all',
  'first',
  'put',
  'post',
  'patch',
  'then',
  'catch',
  'map',
  'forEach',
  'push',
  'set',
  'has',
  'toString',
  'toJSON',
  'json',
  'status',
  'emit',
  'on',
  'use',
  'apply',
  'bind',
  'exec',
  'build',
  'login',
  'logout',
  'destroy',
  '__init__',
  'count',
  'exists',
  'get_object',
  'get_queryset',
  'is_valid',
  'dispatch',
]);
const MAX_DEPTH = 8;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function norm(name: string): string {
  return name.replace(/^_+/, '').replace(/[_\-]/g, '').toLowerCase();
}

/** Files an import may point at: the module, and for `from pkg import mod` (Python) the submodule; bare and absolute specifiers also by path suffix. */
function importTargets(modules: ModuleResolver, from: string, ref: CallRef): string[] {
  const module = ref.module!;
  const out = modules.candidates(from, module, { suffix: true });
  if (from.endsWith('.py') && ref.imported && ref.imported !== '*')
    out.push(...modules.candidates(from, `${module}${module.endsWith('.') ? '' : '.'}${ref.imported}`, { suffix: true }));
  return out;
}

const cache = new WeakMap<readonly FileFacts[], AuditGraph>();

/** A receiver named like a service object: a call on it may go to a class in the caller's folder. */
const SERVICE_RECEIVER = /service|repo|repository|manager|provider|dao|store|helper|client|crud/i;

export function buildAuditGraph(files: readonly FileFacts[], endpoints: readonly Endpoint[]): AuditGraph {
  const cached = cache.get(files);
  if (cached) return cached;
  const nodes: AuditNode[] = [];
  const mechanisms: AuditGraph['mechanisms'] = [];
  const byName = new Map<string, AuditNode[]>();
  const byFile = new Map<string, AuditNode[]>();
  /** byName narrowed to one file (file, then name), in the same order; nested maps, not `name\0file` keys, which were concatenated and hashed per call. */
  const byNameInFile = new Map<string, Map<string, AuditNode[]>>();
  for (const f of files) {
    for (const m of f.auditFacts?.mechanisms ?? []) mechanisms.push({ ...m, file: f.path });
    for (const s of f.strings) {
      const table = auditTriggerTable(s.value);
      if (table) mechanisms.push({ kind: 'db-trigger', api: 'CREATE TRIGGER', models: [table], range: s.range, file: f.path });
    }
    const namesInFile = byNameInFile.get(f.path) ?? new Map<string, AuditNode[]>();
    byNameInFile.set(f.path, namesInFile);
    for (const fn of f.auditFacts?.functions ?? []) {
      const node: AuditNode = { id: nodes.length, file: f.path, fn };
      nodes.push(node);
      for (const key of new Set([fn.name, fn.qualifiedName])) {
        const list = byName.get(key) ?? [];
        list.push(node);
        byName.set(key, list);
        const inFile = namesInFile.get(key);
        if (inFile) inFile.push(node);
        else namesInFile.set(key, [node]);
      }
      const inFile = byFile.get(f.path) ?? [];
      inFile.push(node);
      byFile.set(f.path, inFile);
    }
  }
  // A registered interceptor counts only when its class records audit entries.
  const auditing = new Set(files.flatMap((f) => f.auditFacts?.auditingClasses ?? []));
  for (let i = mechanisms.length - 1; i >= 0; i--)
    if (mechanisms[i]!.kind === 'request-audit' && !auditing.has(mechanisms[i]!.className ?? '')) mechanisms.splice(i, 1);
  const modules = moduleResolver(files);

  // Handlers: the endpoint model first, then the extractors' hints. A function in a test file (pytest's `request`
  // fixture looks like a Django view, a test's `(req, res)` mocks like a handler) is never a root: no request of the
  // running app enters there, so a write reached only from tests is not on any request chain.
  for (const ep of endpoints) {
    if (!ep.handler || looksLikeTestPath(ep.handler.file)) continue;
    const inFile = byFile.get(ep.handler.file) ?? [];
    const line = ep.handler.range.start.line;
    const hit =
      inFile.find((n) => n.fn.range.start.line === line) ??
      inFile.filter((n) => n.fn.range.start.line <= line && n.fn.range.end.line >= line).sort((a, b) => b.fn.range.start.line - a.fn.range.start.line)[0] ??
      (ep.handler.name ? inFile.find((n) => n.fn.name === ep.handler!.name || n.fn.qualifiedName === ep.handler!.name) : undefined);
    if (hit && !hit.handler?.endpoint) hit.handler = { endpoint: `${ep.methods.join(',')} ${ep.path}` };
  }
  for (const n of nodes) if (!n.handler && n.fn.handlerHint && !looksLikeTestPath(n.file)) n.handler = { hint: n.fn.handlerHint };

  // What the receiver match compares a candidate with (its class, else its file's base name), computed once per node.
  const receiverKey = nodes.map((c) =>
    c.fn.className
      ? norm(c.fn.className)
      : norm(
          c.file
            .split('/')
            .pop()!
            .replace(/\.\w+$/, ''),
        ),
  );
  const dirs = nodes.map((c) => dirOf(c.file));
  const targetsMemo = new Map<string, Set<string>>();
  const byClassMemo = new Map<string, AuditNode[]>();
  const byModuleMemo = new Map<string, AuditNode[]>();
  const resolve = (caller: AuditNode, ref: CallRef): AuditNode[] => {
    const candidates = byName.get(ref.name) ?? [];
    if (candidates.length === 0) return [];
    if (ref.module) {
      const memoKey = `${caller.file}\0${ref.module}\0${ref.imported ?? ''}`;
      let targets = targetsMemo.get(memoKey);
      if (!targets) {
        targets = new Set(importTargets(modules, caller.file, ref));
        targetsMemo.set(memoKey, targets);
      }
      if (targets.size === 0) return [];
      // `os.path.join`, `json.dumps`: common names have thousands of candidates, and many calls share a module.
      const byModuleKey = `${memoKey}\0${ref.name}`;
      let inTargets = byModuleMemo.get(byModuleKey);
      if (!inTargets) {
        inTargets = candidates.filter((c) => targets!.has(c.file));
        byModuleMemo.set(byModuleKey, inTargets);
      }
      return inTargets;
    }
    if (ref.self) {
      const inCallerFile = byNameInFile.get(caller.file)?.get(ref.name) ?? [];
      const sameClass = inCallerFile.filter((c) => c.fn.className === caller.fn.className);
      return sameClass.length > 0 ? sameClass : inCallerFile.slice();
    }
    if (ref.receiver) {
      const r = norm(ref.receiver.replace(/\(\)$/, ''));
      // The same method on the same receiver name is asked about from many callers (`self.session.add`): the
      // receiver match depends on the name and receiver alone.
      const classKey = `${ref.name}\0${r}`;
      let byClass = byClassMemo.get(classKey);
      if (!byClass) {
        byClass = candidates.filter((c) => {
          const cls = receiverKey[c.id]!;
          return cls === r || (r.length >= 4 && (cls.startsWith(r) || r.startsWith(cls)));
        });
        byClassMemo.set(classKey, byClass);
      }
      if (byClass.length > 0) return byClass;
      // The receiver's name is tested first: most calls (`self.items.append`) name no service, and the candidates of
      // a common method name run into the thousands.
      if (SERVICE_RECEIVER.test(r)) {
        const callerDir = dirs[caller.id]!;
        const sameDir = candidates.filter((c) => c.fn.className && dirs[c.id] === callerDir);
        if (sameDir.length > 0) return sameDir;
      }
    } else {
      const sameFile = (byNameInFile.get(caller.file)?.get(ref.name) ?? []).filter((c) => !c.fn.className);
      if (sameFile.length > 0) return sameFile;
    }
    if (GENERIC.has(ref.name) || candidates.length > 3) return [];
    return ref.receiver ? candidates.filter((c) => c.fn.className !== undefined || c.file !== caller.file) : candidates.filter((c) => !c.fn.className);
  };

  /** Whether `ref` (a call in `n`) resolves to some project function other than `n` itself. */
  const resolvesElsewhere = (n: AuditNode, ref: CallRef, targets = resolve(n, ref)): boolean =>
    targets.length > 1 || (targets.length === 1 && targets[0]!.id !== n.id);
  /**
   * The project functions `n` calls, resolved on first use: only the functions on a handler's chain and those with
   * security events are asked about (a codebase without handlers resolves almost nothing).
   */
  const resolveCallees = (n: AuditNode): number[] => {
    const ids = new Set<number>();
    // resolve() hands out its memoised lists: a function calling `self.x.append` twenty times adds that list once.
    const added = new Set<readonly AuditNode[]>();
    for (const ref of n.fn.calls) {
      const targets = resolve(n, ref);
      // A list holds each node once, so a second entry is never the caller itself.
      if (!resolvesElsewhere(n, ref, targets) || added.has(targets)) continue;
      added.add(targets);
      for (const t of targets) if (t.id !== n.id) ids.add(t.id);
    }
    return [...ids];
  };
  const calleeLists: Array<number[] | undefined> = new Array(nodes.length);
  const calleesOf = (id: number): number[] => (calleeLists[id] ??= resolveCallees(nodes[id]!));

  const own = nodes.map((n) => Math.max(0, ...n.fn.logs.map((l) => LOG_RANK[l.strength])));
  const helperMemo = new Map<number, number>();
  const helperLog = (id: number): number => {
    let best = helperMemo.get(id);
    if (best !== undefined) return best;
    best = own[id]!;
    for (const c of calleesOf(id)) {
      const fn = nodes[c]!.fn;
      if (fn.writes.length === 0 && fn.events.length === 0 && LOG_HELPER_NAME.test(fn.name)) best = Math.max(best, own[c]!);
    }
    helperMemo.set(id, best);
    return best;
  };
  const reachMemo = new Map<number, number>();
  const reachLog = (id: number): number => {
    const memo = reachMemo.get(id);
    if (memo !== undefined) return memo;
    let best = own[id]!;
    const seen = new Set([id]);
    let frontier = [id];
    for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0 && best < 3; depth++) {
      const next: number[] = [];
      for (const f of frontier)
        for (const c of calleesOf(f))
          if (!seen.has(c)) {
            seen.add(c);
            next.push(c);
            best = Math.max(best, own[c]!);
          }
      frontier = next;
    }
    reachMemo.set(id, best);
    return best;
  };
  const kindsMemo = new Map<number, Set<string>>();
  const calleeEventKinds = (id: number): Set<string> => {
    const memo = kindsMemo.get(id);
    if (memo) return memo;
    const kinds = new Set<string>();
    const seen = new Set([id]);
    let frontier = [id];
    for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const f of frontier)
        for (const c of calleesOf(f))
          if (!seen.has(c)) {
            seen.add(c);
            next.push(c);
            for (const e of nodes[c]!.fn.events) kinds.add(e.kind);
          }
      frontier = next;
    }
    kindsMemo.set(id, kinds);
    return kinds;
  };

  const roots = nodes.filter((n) => n.handler);
  const chains = new Map<number, ChainInfo[]>();
  for (const root of roots) {
    const parent = new Map<number, number>([[root.id, -1]]);
    let frontier = [root.id];
    for (let depth = 0; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const f of frontier) {
        const path: AuditNode[] = [];
        for (let p = f; p !== -1; p = parent.get(p)!) path.unshift(nodes[p]!);
        const list = chains.get(f) ?? [];
        list.push({ root, path });
        chains.set(f, list);
        for (const c of calleesOf(f))
          if (!parent.has(c)) {
            parent.set(c, f);
            next.push(c);
          }
      }
      frontier = next;
    }
  }

  const graph: AuditGraph = {
    nodes,
    calleesOf,
    mechanisms,
    roots,
    ownLog: (id) => own[id]!,
    helperLog,
    reachLog,
    calleeEventKinds,
    chainsTo: (id) => chains.get(id) ?? [],
    // Asked for a few writes only (SOC2-010): answered from the calls then, not recorded for every call up front.
    callsProjectFunction: (id, name, line) => nodes[id]!.fn.calls.some((ref) => ref.name === name && ref.line === line && resolvesElsewhere(nodes[id]!, ref)),
  };
  cache.set(files, graph);
  return graph;
}

/**
 * Strongest logging on a chain to `node`: in the node and what it calls, or in a caller on the way from the handler
 * (itself, or through a logging helper it calls).
 */
export function chainLog(graph: AuditGraph, chain: ChainInfo): number {
  const last = chain.path[chain.path.length - 1]!;
  return Math.max(graph.reachLog(last.id), ...chain.path.map((n) => graph.helperLog(n.id)));
}

/** Whether a model-level mechanism covers writes to `model` (case and plural insensitive; empty models = all). */
export function mechanismFor(
  graph: AuditGraph,
  model: string | undefined,
  kinds: ReadonlyArray<AuditMechanism['kind']>,
): (AuditMechanism & { file: string }) | undefined {
  const m = model ? norm(model).replace(/s$/, '') : undefined;
  return graph.mechanisms.find(
    (x) => kinds.includes(x.kind) && (x.models.length === 0 || (m !== undefined && x.models.some((y) => norm(y).replace(/s$/, '') === m))),
  );
}

/** The chain that logs least (ties: the one from a modelled endpoint), with its log rank. */
export function worstChain(graph: AuditGraph, chains: readonly ChainInfo[]): { chain: ChainInfo; log: number } | undefined {
  let best: { chain: ChainInfo; log: number } | undefined;
  for (const chain of chains) {
    const log = chainLog(graph, chain);
    if (!best || log < best.log || (log === best.log && chain.root.handler?.endpoint && !best.chain.root.handler?.endpoint)) best = { chain, log };
  }
  return best;
}

/** `POST /users → UsersController.create → UsersService.create`, or the root's name and how it was recognised. */
export function describeChain(chain: ChainInfo): string {
  const root = chain.root;
  const named = !root.fn.name.startsWith('<anonymous>');
  const head = root.handler?.endpoint
    ? named
      ? `${root.handler.endpoint} (${root.fn.qualifiedName})`
      : root.handler.endpoint
    : `${named ? root.fn.qualifiedName : `callback at line ${root.fn.range.start.line}`} [${root.handler?.hint ?? 'handler'}]`;
  return [head, ...chain.path.slice(1).map((n) => n.fn.qualifiedName)].join(' → ');
}

/** Handlers recognised only by a heuristic (a `(req, res)` signature, a `request` parameter) are less certain. */
export function rootIsHeuristic(chain: ChainInfo): boolean {
  const hint = chain.root.handler?.hint;
  return !chain.root.handler?.endpoint && (hint === 'req-res' || hint === 'django-view');
}
