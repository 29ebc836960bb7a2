import {
  EVENT_WORDS,
  buildAuditGraph,
  defineRule,
  describeChain,
  looksLikeTestPath,
  mechanismFor,
  rootIsHeuristic,
  worstChain,
  type Confidence,
  type AuditNode,
  type ChainInfo,
  type Match,
  type Range,
  type SecurityEvent,
  type SecurityEventKind,
} from '../src/rule-api.js';

type MessageId = 'unlogged' | 'consoleOnly';

/** Events whose rows live in the user table: a model-level history of users records them. */
const USER_ROW_EVENTS = new Set<SecurityEventKind>([
  'user-create',
  'user-delete',
  'user-deactivate',
  'password-change',
  'password-reset',
  'mfa-enable',
  'mfa-disable',
]);

function eventModel(event: SecurityEvent, writeModel: string | undefined): string | undefined {
  if (writeModel) return writeModel;
  return USER_ROW_EVENTS.has(event.kind) ? 'User' : undefined;
}

/**
 * A credential check wrapped in a predicate helper (`isValidPassword = (u, p) => bCrypt.compareSync(p, u.password)`)
 * has no branch to log in: the success and failure branches are in the caller (the passport callback, the login
 * view). The finding goes to the call there. Only a pure wrapper moves: one event, no writes, logs or other calls.
 */
function predicateCaller(node: AuditNode, event: SecurityEvent, chain: ChainInfo): { file: string; range: Range } | undefined {
  const fn = node.fn;
  // A token issued in a login function is that function's own act; only a compare is a predicate.
  if (event.kind !== 'login' || event.via !== 'call' || !/compare|verify|check_?pass|checkpw/i.test(event.api) || chain.path.length < 2) return undefined;
  if (fn.events.length !== 1 || fn.writes.length > 0 || fn.logs.length > 0 || fn.calls.some((c) => c.line !== event.range.start.line)) return undefined;
  const caller = chain.path[chain.path.length - 2]!;
  const call = caller.fn.calls.find((c) => c.name === fn.name);
  if (!call) return undefined;
  return { file: caller.file, range: { start: { line: call.line, column: 1 }, end: { line: call.line, column: 1 } } };
}

export default defineRule<MessageId>({
  id: 'SOC2-003',
  slug: 'insufficient-security-logging',
  title: 'Security event without logging',
  description:
    'CC7.2 expects security events to be logged and monitored. A login, logout, password change, role change, account or API-key change that leaves no log record cannot be investigated: nobody can tell who did it, when, and whether it succeeded.',
  remediation:
    'Log the event where it happens (or in a function on the same request chain) with a logger or audit facility: who (user id), what (event and target), outcome (success/failure), and when. console.log/print is not an audit store.',
  severity: 'medium',
  confidence: 'medium',
  controls: ['CC7.2'],
  cwe: ['CWE-778', 'CWE-223'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    unlogged: '{{event}} via {{api}} is not logged: no logging or audit call on the request chain {{chain}} records who did it and the outcome.',
    consoleOnly:
      '{{event}} via {{api}} is only written with console/print or debug-level logging on the request chain {{chain}}: weak evidence (stdout or disabled in production, no who/outcome); log it with a logger or audit facility.',
  },
  *check({ files, endpoints }) {
    const graph = buildAuditGraph(files, endpoints);
    const seenAt = new Set<string>();
    for (const node of graph.nodes) {
      if (looksLikeTestPath(node.file)) continue;
      const reported = new Set<SecurityEventKind>();
      for (const event of node.fn.events) {
        if (reported.has(event.kind)) continue;
        // A call of a project function named like a library one (`user.check_password`, `user.changePassword`) is
        // reported inside it when the event is seen there; otherwise here, where the project's own check is called.
        if (graph.calleeEventKinds(node.id).has(event.kind)) continue;
        const worst = worstChain(graph, graph.chainsTo(node.id));
        if (!worst || worst.log >= 2) continue;
        const write = node.fn.writes.find((w) => w.range.start.line === event.range.start.line && w.range.start.column === event.range.start.column);
        const covered =
          event.kind === 'login' || event.kind === 'logout'
            ? graph.mechanisms.some((m) => m.kind === 'auth-signal' && m.events?.includes(event.kind as 'login' | 'logout'))
            : mechanismFor(graph, eventModel(event, write?.model), ['model-history', 'orm-listener', 'db-trigger']) !== undefined;
        if (covered) continue;
        reported.add(event.kind);
        const at = predicateCaller(node, event, worst.chain);
        if (at && seenAt.has(`${at.file}:${at.range.start.line}:${event.kind}`)) continue;
        if (at) seenAt.add(`${at.file}:${at.range.start.line}:${event.kind}`);
        const heuristic = rootIsHeuristic(worst.chain);
        const confidence: Confidence = worst.log === 1 || event.via === 'name' ? 'low' : heuristic || event.via === 'write' ? 'medium' : 'high';
        const match: Match<MessageId> = {
          messageId: worst.log === 1 ? 'consoleOnly' : 'unlogged',
          data: { event: EVENT_WORDS[event.kind], api: at ? `${node.fn.name} (${event.api})` : event.api, chain: describeChain(worst.chain) },
          path: at?.file ?? node.file,
          range: at?.range ?? event.range,
          anchor: `${event.kind}:${event.api}:${node.fn.qualifiedName}`,
          confidence,
          properties: { eventKind: event.kind, handlerFromEndpointModel: !!worst.chain.root.handler?.endpoint },
        };
        yield match;
      }
    }
  },
});
