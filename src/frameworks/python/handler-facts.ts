import { OWNER_CONSTRAINT, RECORD_READ_CALL, RECORD_READ_HINT, REQUEST_SOURCES, SIGNATURE_CHECK } from '../../model/guards-python.js';
import type { PyHandlerFacts, PyParam } from './types.js';

/** Parameters that are never request identifiers. */
const NOT_INPUT = new Set(['self', 'cls', 'request', 'db', 'session', 'current_user', 'user', 'args', 'kwargs', 'format', 'background_tasks', 'response']);
const RANK = { read: 0, update: 1, delete: 2 } as const;

/**
 * What a handler body does with an identifier from the request: the most destructive record access whose
 * lookup uses a parameter (path/query) or request data, whether the current user constrains it, and
 * whether it verifies a webhook signature. Text-based over the body (comments removed).
 */
export function readHandlerFacts(body: string, params: PyParam[], firstLine: number): PyHandlerFacts | undefined {
  if (!RECORD_READ_HINT.test(body)) {
    const ownership = OWNER_CONSTRAINT.test(body);
    const verifiesSignature = SIGNATURE_CHECK.test(body);
    return ownership || verifiesSignature ? { ownership, verifiesSignature } : undefined;
  }
  const inputs = new Map<string, 'param' | 'query' | 'body'>();
  for (const p of params) if (!NOT_INPUT.has(p.name) && !p.default?.call) inputs.set(p.name, 'param');
  const lines = body.split('\n');
  const records = new Map<string, { call: string; name: string }>();
  let access: PyHandlerFacts['access'];
  const note = (op: 'read' | 'update' | 'delete', call: string, name: string, index: number) => {
    if (!access || RANK[op] > RANK[access.op]) access = { op, call, name, origin: inputs.get(name)!, line: firstLine + index };
  };
  lines.forEach((line, index) => {
    const assigned = /^\s*(\w+)\s*=\s*(.+)$/.exec(line);
    if (assigned) for (const s of REQUEST_SOURCES) if (s.pattern.test(assigned[2]!)) inputs.set(assigned[1]!, s.source);
    for (const m of line.matchAll(RECORD_READ_CALL)) {
      const args = argumentText(line, m.index + m[0].length);
      const name = [...inputs.keys()].find((n) => new RegExp(`\\b${n}\\b`).test(args));
      if (!name || /request\.(?:args|GET|POST|form|data|json|query_params)\.get$/.test(m[1]!)) continue;
      const rest = line.slice(m.index);
      const op = /\.delete\(/.test(rest) ? 'delete' : /\.update\(/.test(rest) ? 'update' : 'read';
      note(op, m[1]!, name, index);
      if (assigned && op === 'read') records.set(assigned[1]!, { call: m[1]!, name });
    }
    for (const [variable, record] of records) {
      const v = escape(variable);
      if (new RegExp(`\\b(?:delete|remove)\\(\\s*${v}\\s*\\)|\\b${v}\\.delete\\(`).test(line)) note('delete', record.call, record.name, index);
      else if (new RegExp(`^\\s*${v}\\.\\w+\\s*=[^=]|\\b${v}\\.(?:update|save)\\(|setattr\\(\\s*${v}\\b`).test(line)) note('update', record.call, record.name, index);
    }
  });
  const ownership = OWNER_CONSTRAINT.test(body);
  const verifiesSignature = SIGNATURE_CHECK.test(body);
  if (!access && !ownership && !verifiesSignature) return undefined;
  const facts: PyHandlerFacts = { ownership, verifiesSignature };
  if (access) facts.access = access;
  return facts;
}

/** The text of a call's arguments from just after its `(` to the matching `)` on the same line. */
function argumentText(line: string, start: number): string {
  let depth = 1;
  for (let i = start; i < line.length; i++) {
    if (line[i] === '(') depth++;
    else if (line[i] === ')' && --depth === 0) return line.slice(start, i);
  }
  return line.slice(start);
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
