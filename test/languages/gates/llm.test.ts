import { describe, expect, it } from 'vitest';
import { extractJsLlmWith, jsLlmMayApply } from '../../../src/languages/javascript/llm.js';
import type { FileFacts } from '../../../src/model/facts.js';
import { JS_FILE, compareGate, fixtureFiles, jsFeatureInput } from '../../helpers/feature-input.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** The LLM facts of a JS/TS file with and without the gate, and the gate's answer. */
function bothWays(path: string, text: string): { gated: string; full: string; passes: boolean } {
  const input = jsFeatureInput(path, text);
  const facts = input.facts;
  const run = (useGate: boolean): string => {
    const copy: FileFacts = { ...facts, llm: undefined };
    extractJsLlmWith({ ...input, facts: copy }, useGate);
    return JSON.stringify(copy.llm);
  };
  return { gated: run(true), full: run(false), passes: jsLlmMayApply(text, facts) };
}

describe('extractJsLlm gate', () => {
  it('gives the same facts with and without the gate on every JS/TS fixture', async () => {
    const { compared, withFacts, gatedOut } = await compareGate(fixtureFiles(JS_FILE), bothWays, 'skip');
    expect(compared).toBeGreaterThan(100);
    expect(withFacts).toBeGreaterThan(10);
    expect(gatedOut).toBeGreaterThan(10);
  });

  const mustMatch: Array<[string, string]> = [
    ['an SDK call', lines("import OpenAI from 'openai';", 'const c = new OpenAI();', "await c.chat.completions.create({ model: 'gpt-4o', messages });")],
    ['tracing only', lines("import { registerOTel } from '@vercel/otel';", "registerOTel({ serviceName: 'x' });")],
    ['a tool kept as data', lines("export const refund = { name: 'refund', description: 'Refund', parameters: schema, execute: async (a) => pay(a) };")],
    ['a wrapper tool call', lines("export const refund = injectableTool({ description: 'Refund', execute: async (a) => pay(a) });")],
    [
      'a tool kept as data, its keys quoted',
      lines("export const refund = { 'name': 'refund', 'description': 'Refund', 'parameters': schema, 'execute': async (a) => pay(a) };"),
    ],
    [
      'a model bound to tools, built elsewhere',
      lines('export async function run(p, tools, m) {', '  const withTools = p.llm.bindTools(tools);', '  return withTools.invoke(m);', '}'),
    ],
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
