import { alignColumns, toLfCsv } from '../util/text.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RULES } from '../../rules/index.js';
import { scan } from '../engine/scan.js';
import type { Endpoint, GuardKind, HttpApp } from '../model/endpoints.js';
import type { Io } from './io.js';
import { addCommonScanOptions, oneOf, prepareScan, type CommonScanFlags } from './scan-options.js';
import { compareStrings } from '../util/compare.js';

/**
 * `complianceagent endpoints [path]`: the endpoint inventory an auditor asks for — method, path, location and,
 * for each guard kind, whether one applies and which. Sorted by path, method, file and line; deterministic.
 */

const FORMATS = ['table', 'json', 'csv'] as const;
const SECRET_RULE = 'SOC2-002';
const KINDS: readonly GuardKind[] = ['authentication', 'authorization', 'rate-limit', 'validation', 'audit'];
const HEADINGS: Record<GuardKind, string> = {
  authentication: 'AUTHN',
  authorization: 'AUTHZ',
  'rate-limit': 'RATE LIMIT',
  validation: 'VALIDATION',
  audit: 'AUDIT',
};

interface EndpointsFlags extends CommonScanFlags {
  format: string;
}

export function sortEndpoints(endpoints: readonly Endpoint[]): Endpoint[] {
  return [...endpoints].sort(
    (a, b) =>
      compareStrings(a.path, b.path) ||
      compareStrings(a.methods.join(','), b.methods.join(',')) ||
      compareStrings(a.file, b.file) ||
      a.range.start.line - b.range.start.line,
  );
}

/** Guard names of one kind, as written, without repeats. */
function guardNames(e: Endpoint, kind: GuardKind): string[] {
  return [...new Set(e.guards.filter((g) => g.kind === kind).map((g) => g.name))];
}

function cell(e: Endpoint, kind: GuardKind, width = 32): string {
  const names = guardNames(e, kind);
  if (names.length === 0) return 'no';
  const text = `yes (${names.join(', ')})`;
  return text.length > width ? `${text.slice(0, width - 2)}…)` : text;
}

export function endpointsTable(endpoints: readonly Endpoint[]): string {
  const header = ['METHOD', 'PATH', 'LOCATION', ...KINDS.map((k) => HEADINGS[k]), 'OPT-OUTS', 'PUBLIC BY DESIGN'];
  const rows = sortEndpoints(endpoints).map((e) => [
    e.methods.join(','),
    e.path,
    `${e.file}:${e.range.start.line}`,
    ...KINDS.map((k) => cell(e, k)),
    e.optOuts.join(', '),
    e.publicByDesign ?? '',
  ]);
  return `${[...alignColumns(header, rows), '', summaryLine(endpoints)].join('\n')}\n`;
}

export function summaryLine(endpoints: readonly Endpoint[]): string {
  const count = (kind: GuardKind) => endpoints.filter((e) => e.guards.some((g) => g.kind === kind)).length;
  const authn = endpoints.filter((e) => e.guards.some((g) => g.kind === 'authentication' || g.kind === 'authorization')).length;
  const open = endpoints.filter((e) => e.publicByDesign && !e.guards.some((g) => g.kind === 'authentication' || g.kind === 'authorization')).length;
  return `${endpoints.length} endpoints: ${authn} with authentication, ${count('authorization')} with authorisation, ${count('rate-limit')} rate-limited, ${count('validation')} with input validation, ${count('audit')} with audit logging; ${open} public by design.`;
}

export function endpointsCsv(endpoints: readonly Endpoint[]): string {
  const header = ['method', 'path', 'file', 'line', 'framework', ...KINDS.flatMap((k) => [k, `${k}_guards`]), 'opt_outs', 'public_by_design'];
  const rows = sortEndpoints(endpoints).map((e) => [
    e.methods.join(' '),
    e.path,
    e.file,
    String(e.range.start.line),
    e.framework,
    ...KINDS.flatMap((k) => {
      const names = guardNames(e, k);
      return [names.length > 0 ? 'yes' : 'no', names.join('; ')];
    }),
    e.optOuts.join('; '),
    e.publicByDesign ?? '',
  ]);
  return toLfCsv(header, rows);
}

export function endpointsJson(endpoints: readonly Endpoint[], apps: readonly HttpApp[]): string {
  const list = sortEndpoints(endpoints).map((e) => ({
    method: e.methods.join(','),
    path: e.path,
    framework: e.framework,
    location: { path: e.file, line: e.range.start.line, column: e.range.start.column },
    ...(e.handler ? { handler: { path: e.handler.file, line: e.handler.range.start.line, ...(e.handler.name ? { name: e.handler.name } : {}) } } : {}),
    guards: Object.fromEntries(
      KINDS.map((k) => [
        k,
        e.guards
          .filter((g) => g.kind === k)
          .map((g) => ({ name: g.name, scope: g.scope, path: g.path, line: g.line, ...(g.reason ? { reason: g.reason } : {}) })),
      ]),
    ),
    optOuts: e.optOuts,
    ...(e.publicByDesign ? { publicByDesign: e.publicByDesign } : {}),
    ...(e.unmounted ? { unmounted: true } : {}),
  }));
  const appList = apps.map((a) => ({
    framework: a.framework,
    location: { path: a.file, line: a.range.start.line },
    guards: a.guards.map((g) => ({ kind: g.kind, name: g.name, path: g.path, line: g.line })),
  }));
  return `${JSON.stringify({ summary: summaryLine(endpoints), apps: appList, endpoints: list }, null, 2)}\n`;
}

export function registerEndpoints(program: Command, io: Io): void {
  const command = program
    .command('endpoints')
    .description('list every HTTP endpoint with the authentication, authorisation, rate-limit, validation and audit guards that apply')
    .argument('[path]', 'what to scan', '.')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'table');
  addCommonScanOptions(command).action(async (path: string, flags: EndpointsFlags) => {
    const format = oneOf(flags.format, FORMATS, '--format');
    const { options } = await prepareScan(io, path, flags);
    // Only the hard-coded-secret rule runs: not for findings, but so that a secret written into a guard
    // (`basicAuth({ users: { admin: '…' } })`, `jwt({ secret: '…' })`) is known and masked in the inventory.
    const result = await scan(resolve(io.cwd, path), { ...options, rules: RULES.filter((r) => r.id === SECRET_RULE) });
    const endpoints = result.model?.endpoints ?? [];
    const apps = result.model?.apps ?? [];
    if (format === 'json') io.stdout(endpointsJson(endpoints, apps));
    else if (format === 'csv') io.stdout(endpointsCsv(endpoints));
    else
      io.stdout(
        endpoints.length === 0
          ? 'No HTTP endpoints found (Express, Fastify, Koa, NestJS, Next.js, FastAPI, Flask and Django are understood).\n'
          : endpointsTable(endpoints),
      );
    const unread = result.errors.filter((e) => e.kind === 'read' || e.kind === 'parse' || e.kind === 'timeout');
    if (unread.length > 0)
      io.stderr(`${unread.length} files could not be read or parsed; their endpoints are missing (\`complianceagent scan\` lists them).\n`);
  });
}
