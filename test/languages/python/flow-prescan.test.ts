import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPython } from '../../../src/languages/python/extract.js';
import { extractPyFlowsWith } from '../../../src/languages/python/flow.js';
import { PyFlowPrescan } from '../../../src/languages/python/flow-prescan.js';
import { parsePythonSyntax } from '../../../src/languages/python/parse.js';
import type { FileFacts } from '../../../src/model/facts.js';

/** The data-flow facts of a file with and without the pre-scan (the pre-scan may only skip work, never change a fact). */
async function bothWays(path: string, text: string): Promise<[unknown, unknown]> {
  const { root } = await parsePythonSyntax(text);
  const { facts } = await extractPython(path, text);
  const run = (usePrescan: boolean): unknown => {
    const copy: FileFacts = { ...facts, dataFlow: undefined };
    extractPyFlowsWith({ root, path, text, facts: copy }, usePrescan);
    return copy.dataFlow;
  };
  return [run(true), run(false)];
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

async function prescanOf(text: string): Promise<{ prescan: PyFlowPrescan; fn: (name: string) => boolean }> {
  const { root } = await parsePythonSyntax(text);
  const defs = root.descendantsOfType('function_definition').map((node) => ({ name: node.childForFieldName('name')!.text, node }));
  const prescan = new PyFlowPrescan(root, defs, (parts) => parts.join('.'));
  return { prescan, fn: (name) => prescan.needsSummary(defs.find((d) => d.name === name)!) };
}

describe('Python data-flow pre-scan', () => {
  it('gives the same facts as the full walk on every Python fixture', async () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'fixtures');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.py'))
      .sort();
    expect(files.length).toBeGreaterThan(50);
    let withFlows = 0;
    for (const f of files) {
      const [fast, full] = await bothWays(f, readFileSync(join(root, f), 'utf8'));
      expect(fast, f).toEqual(full);
      if (full) withFlows++;
    }
    // The comparison means something only when flows are found.
    expect(withFlows).toBeGreaterThan(10);
  });

  it('summarises only functions where taint can start or a summary can be read', async () => {
    const { prescan, fn } = await prescanOf(
      lines(
        'import os',
        'def no_params():',
        '    os.system("ls")',
        'def sink_param(cmd):',
        '    os.system(cmd)',
        'def unused_helper(x):',
        '    return x.strip()',
        'def called_helper(x):',
        '    return x.strip()',
        'def reads_request():',
        '    return request.args.get("q")',
        'def caller():',
        '    return called_helper("a")',
        'def key_source(self):',
        "    return self['request'].GET",
        'def route_inside():',
        '    @app.get("/x")',
        '    def inner(q): pass',
      ),
    );
    expect(fn('no_params')).toBe(false);
    expect(fn('sink_param')).toBe(true);
    expect(fn('unused_helper')).toBe(false);
    expect(fn('called_helper')).toBe(true);
    expect(fn('reads_request')).toBe(true);
    expect(fn('caller')).toBe(true);
    expect(fn('key_source')).toBe(true);
    expect(fn('route_inside')).toBe(true);
    expect(prescan.fileHasSource).toBe(true);
  });

  it('in a file without a source, summarises only what reaches a sink and what that calls', async () => {
    const text = lines(
      'import os',
      'def wrap(x):',
      '    inner(x)',
      '    return x',
      'def inner(x):',
      '    return x',
      'def run(cmd):',
      '    os.system(wrap(cmd))',
      'def outer(cmd):',
      '    run(cmd)',
      'def unrelated(x):',
      '    return helper(x)',
      'def helper(x):',
      '    return x',
    );
    const { prescan, fn } = await prescanOf(text);
    expect(prescan.fileHasSource).toBe(false);
    expect(['run', 'outer', 'wrap', 'inner'].map(fn)).toEqual([true, true, true, true]);
    expect(['unrelated', 'helper'].map(fn)).toEqual([false, false]);
    const [fast, full] = await bothWays('lib.py', text);
    expect(fast).toEqual(full);
    expect(JSON.stringify(full)).toContain('"name":"run"');
  });

  it('leaves out the main pass of a file without a request source or route', async () => {
    const { prescan } = await prescanOf(lines('import os', 'def run(cmd):', '    os.system(cmd)', 'run(input())'));
    expect(prescan.fileHasSource).toBe(false);
  });

  it('finds the same flow as the full walk through a helper, a route parameter and a guard', async () => {
    const text = lines(
      'import os',
      'from flask import Flask, request',
      'app = Flask(__name__)',
      'ALLOWED = {"a"}',
      'def run(cmd):',
      '    os.system(cmd)',
      'x = 1',
      '@app.route("/p/<name>")',
      'def view(name):',
      '    if name in ALLOWED:',
      '        run(name)',
      '    run(request.args["q"])',
      '    return "ok"',
    );
    const [fast, full] = await bothWays('app.py', text);
    expect(fast).toEqual(full);
    expect(JSON.stringify(fast)).toContain('os.system');
  });
});
