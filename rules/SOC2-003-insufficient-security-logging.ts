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
  type Match,
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
    for (const node of graph.nodes) {
      if (looksLikeTestPath(node.file)) continue;
      const reported = new Set<SecurityEventKind>();
      for (const event of node.fn.events) {
        if (reported.has(event.kind)) continue;
        // A call of a project function named like a library one (`user.changePassword`) is reported inside it.
        if (event.via === 'call' && graph.callsProjectFunction(node.id, event.api.split('.').pop()!, event.range.start.line)) continue;
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
        const heuristic = rootIsHeuristic(worst.chain);
        const confidence: Confidence = worst.log === 1 || event.via === 'name' ? 'low' : heuristic || event.via === 'write' ? 'medium' : 'high';
        const match: Match<MessageId> = {
          messageId: worst.log === 1 ? 'consoleOnly' : 'unlogged',
          data: { event: EVENT_WORDS[event.kind], api: event.api, chain: describeChain(worst.chain) },
          path: node.file,
          range: event.range,
          anchor: `${event.kind}:${event.api}:${node.fn.qualifiedName}`,
          confidence,
          properties: { eventKind: event.kind, handlerFromEndpointModel: !!worst.chain.root.handler?.endpoint },
        };
        yield match;
      }
    }
  },
});
