import {
  buildAuditGraph,
  defineRule,
  describeChain,
  isNonBusinessModel,
  looksLikeTestPath,
  mechanismFor,
  rootIsHeuristic,
  worstChain,
  type Confidence,
} from '../src/rule-api.js';

type MessageId = 'unaudited' | 'consoleOnly' | 'interceptorOnly';

export default defineRule<MessageId>({
  id: 'SOC2-010',
  slug: 'missing-audit-trail',
  title: 'Data change without audit trail',
  description:
    'PI1.3 expects processing to be complete and traceable, and CC7.2 expects changes to be monitored. A request that creates, changes or deletes business records without an audit record (who changed what, when) leaves no trail for an auditor or an incident investigation.',
  remediation:
    'Record the change on the same request chain with an audit or log call (actor, model, record id, operation, outcome), or cover the model with a model-level mechanism: django-auditlog / django-simple-history / django-reversion, SQLAlchemy event listeners or sqlalchemy-continuum, Prisma middleware or extensions, TypeORM subscribers, Sequelize/Mongoose hooks that write audit records, or database triggers.',
  severity: 'medium',
  confidence: 'medium',
  controls: ['PI1.3', 'CC7.2'],
  cwe: ['CWE-778'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    unaudited:
      '{{op}} of {{model}} via {{api}} leaves no audit trail: no audit or log call on the request chain {{chain}}, and no model-level audit mechanism covers {{model}}.',
    interceptorOnly:
      '{{op}} of {{model}} via {{api}} on the request chain {{chain}} is only covered by the app-wide interceptor {{interceptor}}, which records requests and may not record this change; make sure it records actor, record and operation for this route.',
    consoleOnly:
      '{{op}} of {{model}} via {{api}} is only recorded with console/print or debug-level logging on the request chain {{chain}}: weak evidence (stdout or disabled in production, no actor or record id); write an audit record or log it with a logger.',
  },
  *check({ files, endpoints }) {
    const graph = buildAuditGraph(files, endpoints);
    for (const node of graph.nodes) {
      // Writes in a function that performs a security event (user creation, password change…) are SOC2-003's.
      if (looksLikeTestPath(node.file) || node.fn.events.length > 0) continue;
      const chains = graph.chainsTo(node.id);
      if (chains.length === 0) continue;
      for (const write of node.fn.writes) {
        if (isNonBusinessModel(write.model)) continue;
        // `serializer.save()` that runs the project's own create/update: the writes in there are reported.
        if (
          /^django (serializer|form)$/.test(write.orm) &&
          ['create', 'update', 'save'].some((m) => graph.callsProjectFunction(node.id, m, write.range.start.line))
        )
          continue;
        if (mechanismFor(graph, write.model, ['model-history', 'orm-listener', 'db-trigger'])) continue;
        const worst = worstChain(graph, chains);
        if (!worst || worst.log >= 2) continue;
        // An app-wide interceptor records requests, maybe not this change (it may skip routes): ambiguous, so low.
        const interceptor = mechanismFor(graph, write.model, ['request-audit']);
        const confidence: Confidence = interceptor || worst.log === 1 || !write.model || rootIsHeuristic(worst.chain) ? 'low' : 'medium';
        yield {
          messageId: interceptor ? 'interceptorOnly' : worst.log === 1 ? 'consoleOnly' : 'unaudited',
          data: {
            op: write.op === 'save' ? 'Save' : write.op[0]!.toUpperCase() + write.op.slice(1),
            model: write.model ?? 'an unnamed model',
            api: write.api,
            chain: describeChain(worst.chain),
            interceptor: interceptor?.className ?? '',
          },
          path: node.file,
          range: write.range,
          anchor: `${write.op}:${write.api}:${node.fn.qualifiedName}`,
          confidence,
          properties: {
            orm: write.orm,
            operation: write.op,
            ...(write.model ? { model: write.model } : {}),
            handlerFromEndpointModel: !!worst.chain.root.handler?.endpoint,
          },
        };
      }
    }
  },
});
