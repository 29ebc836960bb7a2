import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractJsRoutesWith, jsRoutesMayApply } from '../../../src/languages/javascript/frameworks/extract.js';
import type { FileFacts, Language } from '../../../src/model/facts.js';
import { JS_FILE, fixtureFiles, jsFeatureInput } from '../../helpers/feature-input.js';

/** `facts.jsRoutes` of a file with and without the gate, and what the gate said. */
function bothWays(path: string, text: string, language?: Language) {
  const input = jsFeatureInput(path, text, language);
  const run = (useGate: boolean) => {
    const f: FileFacts = { ...input.facts, jsRoutes: undefined };
    extractJsRoutesWith({ ...input, facts: f }, useGate);
    return f.jsRoutes;
  };
  return { gated: run(true), full: run(false), gate: jsRoutesMayApply(text, input.facts, path) };
}

describe('the endpoint feature gate (jsRoutesMayApply)', () => {
  it('finds the same facts with and without the gate on every JS/TS fixture', () => {
    let files = 0;
    let withFacts = 0;
    let withoutReexports = 0;
    const gate = { all: 0, exports: 0, none: 0 };
    for (const [f, text] of fixtureFiles(JS_FILE)) {
      const path = join('fixtures', f);
      let result: ReturnType<typeof bothWays>;
      try {
        result = bothWays(path, text);
      } catch {
        continue; // no AST at all
      }
      files++;
      gate[result.gate]++;
      if (result.full) withFacts++;
      if (result.full && (result.full.functions.length > 0 || result.full.routes.length > 0)) withoutReexports++;
      expect(result.gated, path).toEqual(result.full);
    }
    expect(files).toBeGreaterThan(100);
    expect(withFacts).toBeGreaterThan(20);
    expect(withoutReexports).toBeGreaterThan(20);
    expect(gate.none).toBeGreaterThan(10);
    expect(gate.exports).toBeGreaterThan(0);
    expect(gate.all).toBeGreaterThan(20);
  });

  // One text per kind of fact: the gate lets it through, and the feature finds something in it.
  const must: Array<[string, string, string]> = [
    ['framework import', 'routes.js', "const express = require('express');\nconst r = express.Router();\nr.get('/a', (req, res) => res.json(1));"],
    ['Next.js config', 'next.config.js', 'module.exports = { reactStrictMode: true };'],
    ['plugin without an import', 'plugin.js', "module.exports = async function (fastify) {\n  fastify.get('/health', async () => 'ok');\n};"],
    [
      'plugin registering only `all` and `del`',
      'routes.js',
      "module.exports = function (router) {\n  router.all('/a', (req, res) => res.end());\n  router.del('/b', (req, res) => res.end());\n};",
    ],
    ['required app', 'app.js', "const app = require('express')();\napp.get('/a', (req, res) => res.json(1));"],
    ['auth check', 'mw.js', 'export function requireAuth(req, res, next) {\n  if (!req.user) return res.status(401).end();\n  next();\n}'],
    ['401 in hex', 'mw.js', 'export function gate(req, res) {\n  if (!ok) res.sendStatus(0x191);\n}'],
    ['authorisation call', 'mw.js', "export function gate(ability) {\n  if (ability.can('read', 'Post')) return 1;\n}"],
    ['record access', 'h.js', 'export async function show(req, res) {\n  const post = await Post.findById(req.params.id);\n  res.json(post);\n}'],
    ['ownership', 'h.js', 'export async function list(req, res) {\n  res.json(await Post.find({ where: { authorId: me } }));\n}'],
    ['signature check', 'h.js', 'export function hook(req) {\n  return stripe.webhooks.constructEvent(req.rawBody, sig, secret);\n}'],
    ['public signal', 'h.js', "export const home = (req, res) => res.render('home');"],
    ['guard value by name', 'def.js', 'const def = { code: validateUnion };\nexport default def;'],
    ['guard package', 'limit.js', "import rateLimit from 'express-rate-limit';\nexport const limiter = rateLimit({ max: 5 });"],
    ['escaped name', 'mw.js', "export function gate(req) {\n  if (!req.\\u0075ser) throw new Error('no');\n}"],
    ['escaped module', 'mw.js', "export const a = require('express\\x2djwt');"],
    ['NestJS', 'c.ts', "import { Controller, Get } from '@nestjs/common';\n@Controller('x')\nexport class C { @Get() list() { return []; } }"],
  ];
  it.each(must)('lets through: %s', (_, path, text) => {
    const { gated, full, gate } = bothWays(path, text);
    expect(gate).not.toBe('none');
    expect(full).toBeDefined();
    expect(gated).toEqual(full);
  });

  const mustNot: Array<[string, string]> = [
    ['no names', 'export function add(a, b) {\n  return a + b;\n}'],
    ['prose and JSDoc', "// This can't fail.\n/** @param {string} s the text */\nexport function trim(s) {\n  return s.trim();\n}"],
    ['nothing exported', 'function requireAuth(req) {\n  if (!req.user) throw new Error();\n}'],
    ['a map lookup', "const m = new Map();\nm.get('x');\nexport default m;"],
    ['a parameter named options', 'function f(options) {\n  return all(options);\n}\nexport { f };'],
    ['regex escapes', 'export const digits = /\\d+\\s*/;'],
    ['optional authentication alone', 'export const soft = readCaller({ credentialsRequired: false });'],
    ['a barrel', "export * from './a.js';\nexport { b } from './b.js';"],
  ];
  it.each(mustNot)('rejects: %s', (_, text) => {
    const { gated, full, gate } = bothWays('lib.js', text);
    expect(gate).toBe('none');
    expect(gated).toEqual(full);
  });
});
