import { describe, expect, it } from 'vitest';
import {
  EFFECT_TABLES,
  GUARD_CALLS,
  KILL_SWITCH,
  KILL_SWITCH_SAMPLES,
  ROLE_TEXT,
  ROLE_TEXT_SAMPLES,
  TRACING_MODULES,
  TRACING_SAMPLES,
  effectOfCall,
} from '../../src/model/llm-effects.js';
import { LIMIT_OPTIONS, LIMIT_SAMPLES, LLM_SDKS, sdkOfModule } from '../../src/model/llm-providers.js';
import { MCP_HELPER_MODULE } from '../../src/model/llm-scan.js';

/** Every LLM table proves itself with samples that must and must not match; a failure names the sample. */
describe('LLM SDK table', () => {
  for (const sdk of LLM_SDKS) {
    it(`${sdk.id}: modules and calls`, () => {
      const wrong: string[] = [];
      for (const m of sdk.samples.modules) if (!sdk.modules.test(m)) wrong.push(`module should match: ${m}`);
      for (const m of sdk.samples.notModules) if (sdk.modules.test(m)) wrong.push(`module should not match: ${m}`);
      for (const c of sdk.samples.calls) if (!sdk.calls.test(c)) wrong.push(`call should match: ${c}`);
      for (const c of sdk.samples.notCalls) if (sdk.calls.test(c) || sdk.functions?.test(c)) wrong.push(`call should not match: ${c}`);
      expect(wrong).toEqual([]);
    });
  }

  it('finds the SDK of an import, and leaves the OpenAI Agents SDK to the agent table', () => {
    expect(sdkOfModule('openai')?.id).toBe('openai');
    expect(sdkOfModule('@anthropic-ai/sdk')?.id).toBe('anthropic');
    expect(sdkOfModule('langchain_openai')?.id).toBe('langchain');
    expect(sdkOfModule('@openai/agents')).toBeUndefined();
    expect(sdkOfModule('express')).toBeUndefined();
  });
});

describe('effect, guard, limit and tracing tables', () => {
  const tables = [
    ...EFFECT_TABLES.map((t) => ({ id: `effect ${t.kind}`, test: (s: string) => t.pattern.test(s), must: t.must, mustNot: t.mustNot })),
    ...Object.entries(GUARD_CALLS).map(([id, t]) => ({ id: `guard ${id}`, test: (s: string) => t.pattern.test(s), must: t.must, mustNot: t.mustNot })),
    ...Object.entries(LIMIT_SAMPLES).map(([id, s]) => ({
      id: `limit ${id}`,
      test: (x: string) => LIMIT_OPTIONS[id as keyof typeof LIMIT_OPTIONS].test(x),
      ...s,
    })),
    { id: 'kill switch', test: (s: string) => KILL_SWITCH.test(s), ...KILL_SWITCH_SAMPLES },
    { id: 'role text', test: (s: string) => ROLE_TEXT.test(s), ...ROLE_TEXT_SAMPLES },
    { id: 'tracing modules', test: (s: string) => TRACING_MODULES.test(s), ...TRACING_SAMPLES },
  ];
  for (const t of tables) {
    it(t.id, () => {
      const wrong = [
        ...t.must.filter((s) => !t.test(s)).map((s) => `should match: ${s}`),
        ...t.mustNot.filter((s) => t.test(s)).map((s) => `should not match: ${s}`),
      ];
      expect(wrong).toEqual([]);
    });
  }

  it('classifies tool-body calls by effect, SQL text included, collections excluded', () => {
    expect(effectOfCall('python', 'cursor.execute', 'cursor.execute("DELETE FROM users WHERE id = %s", [i])')).toBe('delete');
    expect(effectOfCall('python', 'cursor.execute', 'cursor.execute("SELECT 1")')).toBeNull();
    expect(effectOfCall('javascript', 'cache.delete', 'cache.delete(key)')).toBeNull();
    expect(effectOfCall('javascript', 'prisma.user.deleteMany', '')).toBe('delete');
    expect(effectOfCall('javascript', 'prisma.user.update', '')).toBe('write');
    expect(effectOfCall('python', 'requests.post', '')).toBe('http');
    expect(effectOfCall('python', 'subprocess.run', '')).toBe('exec');
  });
});

describe('MCP helper packages', () => {
  it('names packages that wrap an MCP server, not the SDK itself, relative imports or look-alikes', () => {
    const must = ['@supabase/mcp-utils', 'mcp-framework', '@acme/mcp-helpers', 'my_mcp', 'acme-mcp/tools'];
    const mustNot = ['@modelcontextprotocol/sdk/server/mcp.js', './mcp', '../mcp-utils', 'fastmcp', 'mcpx', 'smcp'];
    expect(must.filter((m) => !MCP_HELPER_MODULE.test(m))).toEqual([]);
    expect(mustNot.filter((m) => MCP_HELPER_MODULE.test(m))).toEqual([]);
  });
});
