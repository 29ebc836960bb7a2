import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractJavaScript } from '../../../src/languages/javascript/extract.js';
import { extractJsLlmWith, jsLlmMayApply } from '../../../src/languages/javascript/llm.js';
import { parseJavaScript } from '../../../src/languages/javascript/parse.js';
import { NodeIndex } from '../../../src/languages/javascript/visit.js';
import type { FileFacts, Language } from '../../../src/model/facts.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** The LLM facts of a JS/TS file with and without the gate, and the gate's answer. */
function bothWays(path: string, text: string): { gated: string; full: string; passes: boolean } {
  const language: Language = /\.[cm]?tsx?$/.test(path) ? 'typescript' : 'javascript';
  const { facts } = extractJavaScript(path, language, text);
  const { ast } = parseJavaScript(path, text);
  const index = NodeIndex.build(ast);
  const run = (useGate: boolean): string => {
    const copy: FileFacts = { ...facts, llm: undefined };
    extractJsLlmWith({ ast, index, path, language, text, facts: copy }, useGate);
    return JSON.stringify(copy.llm);
  };
  return { gated: run(true), full: run(false), passes: jsLlmMayApply(text, facts) };
}

describe('extractJsLlm gate', () => {
  it('gives the same facts with and without the gate on every JS/TS fixture', () => {
    let files = 0;
    let withFacts = 0;
    let gatedOut = 0;
    for (const f of readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).sort()) {
      if (!/\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/.test(f)) continue;
      let result: ReturnType<typeof bothWays>;
      try {
        result = bothWays(f, readFileSync(join(FIXTURES, f), 'utf8'));
      } catch {
        continue; // no AST at all
      }
      files++;
      expect(result.gated, f).toEqual(result.full);
      if (result.full !== undefined) withFacts++;
      if (!result.passes) gatedOut++;
    }
    expect(files).toBeGreaterThan(100);
    expect(withFacts).toBeGreaterThan(10);
    expect(gatedOut).toBeGreaterThan(10);
  });

  const mustMatch: Array<[string, string]> = [
    ['an SDK call', lines("import OpenAI from 'openai';", 'const c = new OpenAI();', "await c.chat.completions.create({ model: 'gpt-4o', messages });")],
    ['tracing only', lines("import { registerOTel } from '@vercel/otel';", "registerOTel({ serviceName: 'x' });")],
    ['a tool kept as data', lines("export const refund = { name: 'refund', description: 'Refund', parameters: schema, execute: async (a) => pay(a) };")],
    ['a wrapper tool call', lines("export const refund = injectableTool({ description: 'Refund', execute: async (a) => pay(a) });")],
    [
      'a tool kept as data, its key escaped',
      lines("export const refund = { name: 'refund', d\\u0065scription: 'Refund', parameters: schema, execute: async (a) => pay(a) };"),
    ],
  ];
  it.each(mustMatch)('lets through a file with %s', (_what, text) => {
    const { gated, full, passes } = bothWays('tools.ts', text);
    expect(full).not.toBe(undefined);
    expect(passes).toBe(true);
    expect(gated).toEqual(full);
  });

  const mustNot = [
    lines('export const x = 1;'),
    // TOOL_SHAPE alone (crypto-js's cipher objects): no tool, no SDK, the walk finds nothing.
    lines('var C = { execute: function (password, keySize) { return derive(password); }, parameters: 1 };'),
    lines("import express from 'express';", "app.post('/run', (req, res) => res.json({ execute: 1, description: 'x' }));"),
  ];
  it.each(mustNot)('rejects a file without anything it reads: %j', (text) => {
    const { full, passes } = bothWays('tools.js', text);
    expect(passes).toBe(false);
    expect(full).toBeUndefined();
  });
});
