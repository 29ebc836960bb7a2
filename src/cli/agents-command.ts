import { alignColumns, toLfCsv } from '../util/text.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RULES } from '../../rules/index.js';
import { scan } from '../engine/scan.js';
import type { FileFacts } from '../model/facts.js';
import { looksLikeTestPath } from '../model/secrets.js';
import type { LlmGuards, LlmLimits } from '../model/llm.js';
import type { Io } from './io.js';
import { addCommonScanOptions, oneOf, prepareScan, type CommonScanFlags } from './scan-options.js';
import { compareStrings } from '../util/compare.js';
import { type AgentInventory, type AiRow, aiRowJson } from '../report/report-model.js';
import { withDispatchedTools } from '../model/llm-project.js';

/**
 * `complianceagent agents [path]`: the AI inventory an auditor asks for — every LLM call site and agent with
 * provider, model, tools (and what each tool does), and the guards found around it: audit/log calls, redaction,
 * approval, limits and kill switch, plus the tracing installed in the project. Sorted by file and line.
 */

const FORMATS = ['table', 'json', 'csv'] as const;
const SECRET_RULE = 'SOC2-002';

interface AgentsFlags extends CommonScanFlags {
  format: string;
}

/** The inventory's row and whole, shared with the PDF and evidence export (src/report/report-model.ts). */
export type InventoryRow = AiRow;
export type { AgentInventory };

function limitList(l: LlmLimits, defaultStepLimit?: string): string[] {
  return [
    ...l.tokens.map((k) => `tokens: ${k}`),
    ...l.steps.map((k) => `steps: ${k}`),
    ...l.timeout.map((k) => `timeout: ${k}`),
    ...l.disabled.map((k) => `disabled: ${k}`),
    ...(defaultStepLimit && l.steps.length === 0 && l.disabled.length === 0 ? [`default: ${defaultStepLimit}`] : []),
  ];
}

function guardFields(g: LlmGuards): Pick<InventoryRow, 'audit' | 'redaction' | 'approval' | 'roleCheck' | 'killSwitch'> {
  return { audit: g.audit, redaction: g.redaction, approval: g.approval, roleCheck: g.roleCheck, killSwitch: g.killSwitch };
}

export function agentInventory(scanned: readonly FileFacts[]): AgentInventory {
  const files = withDispatchedTools(scanned);
  const rows: InventoryRow[] = [];
  const tracing: AgentInventory['tracing'] = [];
  let testFiles = 0;
  for (const file of files) {
    const llm = file.llm;
    if (!llm) continue;
    if (looksLikeTestPath(file.path)) {
      testFiles++;
      continue;
    }
    for (const what of llm.tracing) tracing.push({ path: file.path, what });
    for (const c of llm.calls)
      rows.push({
        type: c.kind === 'model' ? 'model' : 'call',
        provider: c.provider,
        name: c.api,
        model: c.model ?? '',
        path: file.path,
        line: c.range.start.line,
        function: c.function ?? '',
        tools: c.tools,
        effects: [],
        limits: limitList(c.limits),
        ...guardFields(c.guards),
      });
    for (const a of llm.agents)
      rows.push({
        type: 'agent',
        provider: a.framework,
        name: a.api,
        model: a.model ?? '',
        path: file.path,
        line: a.range.start.line,
        function: a.function ?? '',
        tools: a.tools,
        effects: [],
        limits: limitList(a.limits, a.defaultStepLimit),
        ...guardFields(a.guards),
      });
    for (const t of llm.tools)
      rows.push({
        type: 'tool',
        provider: t.framework,
        name: t.name,
        model: '',
        path: file.path,
        line: t.range.start.line,
        function: t.binding ?? '',
        tools: [],
        effects: [...new Set(t.effects.map((e) => `${e.kind} (${e.api})`))],
        limits: [],
        ...guardFields(t.guards),
      });
  }
  rows.sort((a, b) => compareStrings(a.path, b.path) || a.line - b.line || compareStrings(a.type, b.type) || compareStrings(a.name, b.name));
  tracing.sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.what, b.what));
  return { rows, tracing, testFiles };
}

export function inventorySummary(inv: AgentInventory): string {
  const count = (type: InventoryRow['type']) => inv.rows.filter((r) => r.type === type).length;
  const models = count('model');
  const risky = inv.rows.filter((r) => r.type === 'tool' && r.effects.some((e) => /^(delete|pay|send|exec|permission) /.test(e))).length;
  const providers = [...new Set(inv.rows.filter((r) => r.type === 'call' || r.type === 'model').map((r) => r.provider))].sort(compareStrings);
  const tracing = [...new Set(inv.tracing.map((t) => t.what))];
  return `${count('call')} LLM call sites (${providers.join(', ') || 'none'}), ${models > 0 ? `${models} models constructed (chat and embedding), ` : ''}${count('agent')} agents, ${count('tool')} tools (${risky} that delete, pay, send, execute or change permissions); tracing: ${tracing.length > 0 ? tracing.slice(0, 5).join(', ') : 'none found'}.${inv.testFiles > 0 ? ` ${inv.testFiles} test/example files with LLM code not listed.` : ''}`;
}

const short = (items: readonly string[], width = 40): string => {
  const text = items.join(', ');
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
};
const yesNo = (items: readonly string[], width = 28): string => (items.length === 0 ? 'no' : `yes (${short(items, width)})`);

export function inventoryTable(inv: AgentInventory): string {
  const header = ['TYPE', 'PROVIDER', 'NAME', 'MODEL', 'LOCATION', 'TOOLS / DOES', 'LIMITS', 'AUDIT', 'REDACTION', 'APPROVAL', 'ROLE CHECK', 'KILL SWITCH'];
  const rows = inv.rows.map((r) => [
    r.type,
    r.provider,
    r.name,
    r.model,
    `${r.path}:${r.line}`,
    short(r.type === 'tool' ? r.effects : r.tools),
    r.type === 'tool' ? '' : r.limits.length === 0 ? 'none' : short(r.limits),
    yesNo(r.audit),
    r.type === 'tool' ? '' : yesNo(r.redaction),
    yesNo(r.approval),
    yesNo(r.roleCheck),
    r.type === 'tool' ? '' : yesNo(r.killSwitch),
  ]);
  return `${[...alignColumns(header, rows), '', inventorySummary(inv)].join('\n')}\n`;
}

export function inventoryCsv(inv: AgentInventory): string {
  const header = [
    'type',
    'provider',
    'name',
    'model',
    'file',
    'line',
    'function',
    'tools',
    'effects',
    'limits',
    'audit',
    'redaction',
    'approval',
    'role_check',
    'kill_switch',
  ];
  const rows = inv.rows.map((r) => [
    r.type,
    r.provider,
    r.name,
    r.model,
    r.path,
    String(r.line),
    r.function,
    ...[r.tools, r.effects, r.limits, r.audit, r.redaction, r.approval, r.roleCheck, r.killSwitch].map((l) => l.join('; ')),
  ]);
  return toLfCsv(header, rows);
}

export function inventoryJson(inv: AgentInventory): string {
  const of = (type: InventoryRow['type']) => inv.rows.filter((r) => r.type === type).map(aiRowJson);
  return `${JSON.stringify({ summary: inventorySummary(inv), testFilesNotListed: inv.testFiles, tracing: inv.tracing, calls: of('call'), models: of('model'), agents: of('agent'), tools: of('tool') }, null, 2)}\n`;
}

export function registerAgents(program: Command, io: Io): void {
  const command = program
    .command('agents')
    .description(
      'list every LLM call site, agent and tool with provider, model, what each tool does, and the guards found (audit, redaction, approval, limits, kill switch)',
    )
    .argument('[path]', 'what to scan', '.')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'table');
  addCommonScanOptions(command).action(async (path: string, flags: AgentsFlags) => {
    const format = oneOf(flags.format, FORMATS, '--format');
    const { options } = await prepareScan(io, path, flags);
    const result = await scan(resolve(io.cwd, path), { ...options, rules: RULES.filter((r) => r.id === SECRET_RULE) });
    const inv = agentInventory(result.model?.files ?? []);
    if (format === 'json') io.stdout(inventoryJson(inv));
    else if (format === 'csv') io.stdout(inventoryCsv(inv));
    else
      io.stdout(
        inv.rows.length === 0
          ? 'No LLM calls, agents or tools found (OpenAI, Anthropic, Google, Bedrock, Mistral, Cohere, Ollama, LiteLLM, LangChain/LangGraph, LlamaIndex, Vercel AI SDK, OpenAI Agents, CrewAI, AutoGen, Pydantic AI and MCP are understood).\n'
          : inventoryTable(inv),
      );
    const unread = result.errors.filter((e) => e.kind === 'read' || e.kind === 'parse' || e.kind === 'timeout');
    if (unread.length > 0)
      io.stderr(`${unread.length} files could not be read or parsed; their LLM calls are missing (\`complianceagent scan\` lists them).\n`);
  });
}
