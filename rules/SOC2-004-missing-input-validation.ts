import { defineRule, looksLikeTestPath, resolveFlows, type Confidence, type ResolvedFlow, type Severity, type SinkKind } from '../src/rule-api.js';

type MessageId = SinkKind;

/** Severity by what the sink does: running commands, code or SQL is critical; a redirect is medium. */
const SEVERITY: Record<SinkKind, Severity> = {
  sql: 'critical',
  command: 'critical',
  code: 'critical',
  deserialization: 'critical',
  nosql: 'high',
  path: 'high',
  ssrf: 'high',
  template: 'high',
  redirect: 'medium',
  xxe: 'high',
  'mass-assignment': 'high',
};

const CWE: Record<SinkKind, string> = {
  sql: 'CWE-89',
  nosql: 'CWE-943',
  command: 'CWE-78',
  code: 'CWE-94',
  path: 'CWE-22',
  deserialization: 'CWE-502',
  ssrf: 'CWE-918',
  redirect: 'CWE-601',
  template: 'CWE-94',
  xxe: 'CWE-611',
  'mass-assignment': 'CWE-915',
};

/** Drivers and ODMs of MongoDB-style databases (and a project's own module named after one, as Juice Shop's `data/mongodb`). */
const DOCUMENT_DATABASE = /(?:^|[/@.])(?:mongoose|mongodb|mongo|marsdb|monk|mongojs|nedb|camo|typegoose|pymongo|motor|mongoengine|beanie|odmantic)(?:$|[/.-])/i;

/** Middleware that strips `$`-prefixed and dotted keys from every request's body, query and params before any route runs. */
const OPERATOR_STRIPPING_MIDDLEWARE = /^(?:express-mongo-sanitize|@exortek\/express-mongo-sanitize)$/;

/** Sinks injectable with plain strings (server-side JavaScript): stripping operator keys does not help them. */
const STRING_NOSQL_SINK = /(?:^|\.)(?:\$where|mapReduce)$/;

/**
 * An app file that imports an operator-stripping middleware and mounts middleware with `use()`. The extracted facts
 * keep only guard-like middleware by name, so the mount itself is inferred from the import plus an app-level `use`
 * in the same file (limit: imported but never mounted is taken as mounted; see the rule's .md).
 */
function appsStrippingOperators(files: ReadonlyArray<{ imports: Array<{ module: string }>; jsRoutes?: { uses: unknown[] } }>): boolean {
  return files.some((f) => f.imports.some((i) => OPERATOR_STRIPPING_MIDDLEWARE.test(i.module)) && (f.jsRoutes?.uses.length ?? 0) > 0);
}

function confidenceOf(flow: ResolvedFlow): Confidence {
  // Operator injection depends on the body parser and the driver; a flow across files rests on a name match.
  return flow.sink === 'nosql' || flow.crossFile ? 'medium' : 'high';
}

export default defineRule<MessageId>({
  id: 'SOC2-004',
  slug: 'missing-input-validation',
  title: 'Request data reaches a dangerous sink without validation',
  description:
    "Untrusted request data that reaches a SQL string, an OS command, code evaluation, a file path, a deserialiser, an outbound request, a redirect or a template without validation lets a client change what the system does: read or alter other customers' data, run commands, or pivot into the internal network. SOC 2 PI1.1 expects inputs to be complete, accurate and validated before processing; an auditor reads an injection path as a failed input control.",
  remediation:
    'Validate request data at the boundary with a schema (zod, joi, class-validator DTOs with ValidationPipe, pydantic models, Django forms or DRF serializers) and keep it out of interpreters: parameterised queries with placeholders, argument arrays instead of shell strings, allow-lists for paths, hosts and redirect targets, safe loaders for deserialisation.',
  severity: 'high',
  confidence: 'high',
  controls: ['PI1.1'],
  cwe: ['CWE-20', 'CWE-89', 'CWE-943', 'CWE-78', 'CWE-94', 'CWE-22', 'CWE-502', 'CWE-918', 'CWE-601', 'CWE-611', 'CWE-915'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    sql: '`{{source}}` flows into a SQL string passed to `{{callee}}()`. Use placeholders with a separate values argument, or validate the input first.',
    nosql:
      '`{{source}}` flows into the query filter of `{{callee}}()`: a client can send operators (`$ne`, `$where`). Cast it to a string or validate it with a schema.',
    command: '`{{source}}` flows into an OS command run by `{{callee}}()`. Pass arguments as an array without a shell, and allow-list the values.',
    code: '`{{source}}` flows into code evaluated by `{{callee}}()`. Never evaluate request data; parse it as data instead.',
    path: '`{{source}}` flows into a file path used by `{{callee}}()`: a client can reach other files (`../`). Use the base name or check the resolved path stays inside the allowed folder.',
    deserialization: '`{{source}}` is deserialised by `{{callee}}()`, which can run code. Use a data-only format (JSON) or a safe loader.',
    ssrf: '`{{source}}` chooses the URL of an outbound request made by `{{callee}}()` (server-side request forgery). Allow-list the hosts.',
    redirect: '`{{source}}` chooses the target of a redirect by `{{callee}}()` (open redirect). Redirect only to relative paths or allow-listed hosts.',
    xxe: '`{{source}}` is parsed as XML by `{{callee}}()` with external entities enabled (XXE): a client can read local files or reach internal hosts. Parse with entity expansion and DTD loading off (defusedxml, `noent: false`).',
    'mass-assignment':
      '`{{source}}` chooses which field of an object is written by `{{callee}}` (mass assignment): a client can set fields such as `role` or `isAdmin`, or `__proto__`. Allow-list the fields a client may set.',
    template:
      '`{{source}}` is compiled as a template by `{{callee}}()` (server-side template injection). Pass user data as template variables, never as the template.',
  },
  *check({ files }) {
    // Operator injection needs a MongoDB-style database: with SQL ORMs a filter object is bound, not interpreted.
    const documentDatabase = files.some((f) => f.imports.some((i) => DOCUMENT_DATABASE.test(i.module)));
    // express-mongo-sanitize mounted with app.use() strips operator keys from every request (string sinks excepted).
    const operatorsStripped = appsStrippingOperators(files);
    // One finding per sink: further sources reaching the same call are counted, not repeated.
    const bySink = new Map<string, ResolvedFlow[]>();
    for (const flow of resolveFlows(files)) {
      if (looksLikeTestPath(flow.path)) continue;
      // A route's only default-converter URL part holds no '/' (PATH_SEGMENT_LABEL of model/data-flow.ts): as a file name
      // it stays in its folder; removing a directory named `..` still reaches the parent.
      if (flow.sink === 'path' && / \(URL path segment\)$/.test(flow.source) && !/(?:rmtree|rmdir|removedirs)$/.test(flow.callee)) continue;
      if (flow.sink === 'nosql' && !documentDatabase) continue;
      if (flow.sink === 'nosql' && operatorsStripped && !STRING_NOSQL_SINK.test(flow.callee)) continue;
      const key = `${flow.path}:${flow.range.start.line}:${flow.range.start.column}`;
      bySink.set(key, [...(bySink.get(key) ?? []), flow]);
    }
    for (const [first, ...others] of bySink.values()) {
      const flow = first!;
      yield {
        messageId: flow.sink,
        data: { source: flow.source, callee: flow.callee },
        path: flow.path,
        range: flow.range,
        anchor: `${flow.sink}:${flow.callee}:${flow.source}`,
        severity: SEVERITY[flow.sink],
        confidence: confidenceOf(flow),
        properties: { sink: flow.sink, cwe: CWE[flow.sink], crossFile: flow.crossFile, otherSources: others.length },
        codeFlow: flow.steps.map((s, i) => ({
          path: s.path,
          line: s.line,
          column: s.column,
          message: i === 0 ? `source: ${s.label}` : i === flow.steps.length - 1 ? `sink: ${s.label}` : s.label,
        })),
      };
    }
  },
});
