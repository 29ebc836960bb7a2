import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

/** Copies of fixture apps outside the repository, so paths are relative to the app. */
let APP: string;
let TRACED: string;
beforeAll(() => {
  APP = mkdtempSync(join(tmpdir(), 'ca-agents-'));
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'rules', 'SOC2-011', 'flask-openai'), APP, { recursive: true });
  TRACED = mkdtempSync(join(tmpdir(), 'ca-agents-traced-'));
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'rules', 'SOC2-011', 'fastapi-langfuse'), TRACED, { recursive: true });
});

describe('complianceagent agents', () => {
  it('prints every call site and tool with provider, model, what the tool does and the guards found', async () => {
    const r = await runCli(['agents', APP]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^TYPE\s+PROVIDER\s+NAME\s+MODEL\s+LOCATION\s+TOOLS \/ DOES\s+LIMITS\s+AUDIT\s+REDACTION\s+APPROVAL\s+ROLE CHECK\s+KILL SWITCH$/);
    const rows = lines.slice(1, 7).map((l) => {
      const c = l.split(/\s+/);
      return [c[0], c[1], c[2], c.find((x) => x.startsWith('app.py:'))];
    });
    expect(rows).toEqual([
      ['call', 'openai', 'client.chat.completions.create', 'app.py:16'],
      ['call', 'openai', 'client.chat.completions.create', 'app.py:24'],
      ['call', 'openai', 'client.chat.completions.create', 'app.py:31'],
      ['tool', 'langchain', 'close_ticket', 'app.py:35'],
      ['tool', 'langchain', 'archive_ticket', 'app.py:44'],
      ['tool', 'langchain', 'lookup_weather', 'app.py:53'],
    ]);
    expect(lines[1]).toContain('gpt-4o-mini');
    expect(lines[1]).toContain('tokens: max_tokens');
    expect(lines[2]).toContain('yes (logger.info)');
    expect(lines[4]).toContain('delete (db.session.delete)');
    expect(lines[4]).toMatch(/delete \(db\.session\.delete\)\s+no\s+no\s+no$/);
    expect(lines[5]).toContain('yes (logger.info)');
    expect(lines.at(-2)).toBe('3 LLM call sites (openai), 0 agents, 3 tools (2 that delete, pay, send, execute or change permissions); tracing: none found.');
  });

  it('writes JSON with calls, agents, tools and the tracing found', async () => {
    const r = await runCli(['agents', TRACED, '--format', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.tracing).toEqual([{ path: 'main.py', what: 'langfuse.openai' }]);
    expect(json.calls).toEqual([
      {
        provider: 'openai',
        name: 'client.chat.completions.create',
        model: 'gpt-4o',
        location: { path: 'main.py', line: 12 },
        function: 'chat',
        tools: [],
        limits: ['tokens: max_tokens'],
        guards: { audit: [], redaction: [], approval: [], roleCheck: [], killSwitch: [] },
      },
    ]);
    expect(json.agents).toEqual([]);
  });

  it('writes CSV, one row per call, agent or tool, and is deterministic', async () => {
    const a = await runCli(['agents', APP, '-f', 'csv']);
    const b = await runCli(['agents', APP, '-f', 'csv']);
    expect(a.stdout).toBe(b.stdout);
    const lines = a.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('type,provider,name,model,file,line,function,tools,effects,limits,audit,redaction,approval,role_check,kill_switch');
    expect(lines).toHaveLength(7);
    expect(lines[4]).toBe('tool,langchain,close_ticket,,app.py,35,close_ticket,,delete (db.session.delete),,,,,,');
  });

  it('says what it understands when nothing is found, and rejects an unknown format', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ca-agents-empty-'));
    const r = await runCli(['agents', empty]);
    expect(r.stdout).toMatch(/^No LLM calls, agents or tools found/);
    const bad = await runCli(['agents', APP, '-f', 'xml']);
    expect(bad.code).toBe(2);
  });
});
