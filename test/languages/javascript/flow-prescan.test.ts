import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowCollector } from '../../../src/flow/taint.js';
import { LocalSummaries, summariseFunctions } from '../../../src/flow/summaries.js';
import { extractJavaScript } from '../../../src/languages/javascript/extract.js';
import { JsFlowAnalyzer } from '../../../src/languages/javascript/flow-analyzer.js';
import { classFieldTypes, importBindings, instanceNames, topLevelFunctions } from '../../../src/languages/javascript/flow-functions.js';
import { plainRequestParams } from '../../../src/languages/javascript/flow-request-param.js';
import { FlowPrescan, isJsSanitiser, jsSourceCallFor, sinksFor } from '../../../src/languages/javascript/flow-prescan.js';
import { memoizeByString } from '../../../src/model/memo.js';
import { looksLikeTestPath } from '../../../src/model/test-paths.js';
import { isJsSanitiser as sanitiserUncached, jsSinksFor, jsSourceCallFor as sourceCallUncached } from '../../../src/languages/javascript/tables/taint.js';
import { parseJavaScript } from '../../../src/languages/javascript/parse.js';
import { NodeIndex } from '../../../src/languages/javascript/visit.js';
import type { Language } from '../../../src/model/facts.js';

/** The taint walk over everything, as before the pre-scan. */
function fullWalk(path: string, language: Language, text: string) {
  const { facts } = extractJavaScript(path, language, text);
  const { ast } = parseJavaScript(path, text);
  const program = ast.program;
  const collector = new FlowCollector();
  const summaries = new LocalSummaries();
  const { functions, exported } = topLevelFunctions(program);
  const analyzer = new JsFlowAnalyzer(text, importBindings({ facts } as never), summaries, collector, exported);
  // As flow.ts: the file's instances (`new X()`, and objects it builds itself) decide what a computed write may be.
  analyzer.setMethods(functions, classFieldTypes(program), instanceNames(NodeIndex.build(ast)));
  analyzer.setRequestParams(
    plainRequestParams(
      NodeIndex.build(ast),
      text,
      facts.imports.map((i) => i.module),
    ),
  );
  summariseFunctions(functions, summaries, (f) => analyzer.analyzeFunction(f.name, f.node));
  analyzer.analyzeProgram(program);
  return { withPrescan: facts.dataFlow, full: collector.result() };
}

function prescanOf(text: string) {
  const { ast } = parseJavaScript('a.ts', text);
  const { functions } = topLevelFunctions(ast.program);
  const prescan = new FlowPrescan(NodeIndex.build(ast), functions, (parts) => parts.join('.'));
  const needs = Object.fromEntries(functions.map((f) => [f.name, prescan.needsSummary(f)]));
  return { prescan, needs, body: ast.program.body };
}

describe('the data-flow pre-scan', () => {
  it('finds the same flows, summaries and calls as the full walk on every JS/TS fixture', () => {
    let files = 0;
    let withFlows = 0;
    for (const dir of ['fixtures/rules', 'fixtures/projects']) {
      for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        if (!/\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/.test(f)) continue;
        const path = join(dir, f);
        const text = readFileSync(path, 'utf8');
        // Extracted under its path inside the fixture folder, as a scan of that folder sees it (`fixtures/` itself is
        // a test folder, where no data flow is extracted); fixtures of test files have no flows to compare.
        if (looksLikeTestPath(f)) continue;
        let result;
        try {
          result = fullWalk(f, /\.[cm]?tsx?$/.test(f) ? 'typescript' : 'javascript', text);
        } catch {
          continue; // no AST at all
        }
        files++;
        if (result.full) withFlows++;
        expect(result.withPrescan, path).toEqual(result.full);
      }
    }
    expect(files).toBeGreaterThan(100);
    expect(withFlows).toBeGreaterThan(10);
  });

  it('summarises a function only where a source, a local call, or (with parameters) a sink or a caller can matter', () => {
    const { needs } = prescanOf(`
      function pure(a, b) { return a + b; }
      function used(x) { return x.trim(); }
      function sink(q) { return db.query('select ' + q); }
      function noParams() { return db.query('select 1' + used('a')); }
      function quietNoParams() { return db.query('select 1'); }
      function reads() { return req.query.q; }
      class C { m(id) { return this.other(id); } other(v) { return v; } }
    `);
    expect(needs).toEqual({ pure: false, used: true, sink: true, noParams: true, quietNoParams: false, reads: true, 'C.m': true, 'C.other': true });
  });

  it('in a file without a source word, summarises only what reaches a sink and what that calls', () => {
    const { prescan, needs } = prescanOf(`
      function trim(x) { return x.trim(); }
      function callsTrim(y) { return trim(y) + wrap(y); }
      function wrap(z) { return [z]; }
      function run(cmd) { return db.query('select ' + build(cmd)); }
      function build(c) { return clean(c) + ' -l'; }
      function clean(c) { return c.replace(/;/g, ''); }
      function outer(a) { return run(a); }
      class K { set(key, v) { this.store[key] = v; } put(k, v) { return this.set(k, v); } get(k) { return trim(k); } }
    `);
    expect(prescan.fileHasSource).toBe(false);
    // trim is called by K.get, which reaches no sink: no caller of trim can report anything.
    expect(needs).toEqual({
      trim: false,
      callsTrim: false,
      wrap: false,
      run: true,
      build: true,
      clean: true,
      outer: true,
      'K.set': true,
      'K.put': true,
      'K.get': false,
    });
  });

  it('runs the main pass only in files with a request source word, from the statement where taint can start', () => {
    expect(prescanOf('export function f(a) { return a; }').prescan.fileHasSource).toBe(false);
    const { prescan, body } = prescanOf(`
      const x = format(1);
      if (ok) x.y();
      app.get('/', (req, res) => res.send(req.query.q));
      const after = 2;
    `);
    expect(prescan.fileHasSource).toBe(true);
    expect(body.map((s) => prescan.quiet(s))).toEqual([true, false, false, true]);
    expect(body.map((s) => prescan.nothingAhead(s))).toEqual([false, false, false, true]);
  });
});

describe('memoised table look-ups', () => {
  it('answer as the tables do, undefined and empty answers included', () => {
    for (const callee of ['db.query', 'child_process.exec', 'res.redirect', 'Number', 'console.log', 'req.query', 'x', 'db.query']) {
      expect(sinksFor(callee)).toEqual(jsSinksFor(callee));
      expect(isJsSanitiser(callee)).toBe(sanitiserUncached(callee));
      expect(jsSourceCallFor(callee)).toBe(sourceCallUncached(callee));
    }
  });

  it('look each text up once, and start over at the limit', () => {
    const asked: string[] = [];
    const lookUp = memoizeByString((s: string) => {
      asked.push(s);
      return s === 'none' ? undefined : s.length;
    }, 3);
    expect([lookUp('ab'), lookUp('ab'), lookUp('none'), lookUp('none'), lookUp('abc')]).toEqual([2, 2, undefined, undefined, 3]);
    expect(asked).toEqual(['ab', 'none', 'abc']);
    expect(lookUp('abcd')).toBe(4); // the memo held 3 texts: cleared, then filled again
    expect(lookUp('ab')).toBe(2);
    expect(asked).toEqual(['ab', 'none', 'abc', 'abcd', 'ab']);
  });
});
