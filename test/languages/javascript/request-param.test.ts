import { describe, expect, it } from 'vitest';
import { plainRequestParams } from '../../../src/languages/javascript/flow-request-param.js';
import { parseJavaScript } from '../../../src/languages/javascript/parse.js';
import { NodeIndex } from '../../../src/languages/javascript/visit.js';

/** Each function declaring `request` in `text`, by its first line, with whether that `request` is no HTTP request. */
function answers(text: string, modules: string[] = [], path = 'a.ts'): Record<string, boolean> {
  const { ast } = parseJavaScript(path, text);
  const out: Record<string, boolean> = {};
  for (const [fn, plain] of plainRequestParams(NodeIndex.build(ast), text, modules))
    out[
      text
        .slice(fn.start ?? 0)
        .split('\n')[0]!
        .trim()
    ] = plain;
  return out;
}

describe('plainRequestParams: when a `request` parameter is no HTTP request', () => {
  it('a resolver hook callback without a response parameter, in a file without a framework import', () => {
    expect(answers(`hook.tapAsync('P', (request, resolveContext, callback) => callback());`)).toEqual({
      '(request, resolveContext, callback) => callback());': true,
    });
  });

  it('an HTTP client helper and a queue consumer', () => {
    const text = 'function send(request, options) {}\nconst consume = async (request) => {};';
    expect(Object.values(answers(text))).toEqual([true, true]);
  });

  it.each([
    ['a response or toolkit sibling', 'const f = (request, h) => {};'],
    ['a reply sibling with a default', 'function f(request = {}, reply) {}'],
    ['a request type', 'function f(request: NextRequest) {}'],
    ['a qualified request type', 'function f(request: express.Request) {}'],
    ['a Next.js route export', 'export async function GET(request) {}'],
    ['an arrow assigned to a handler name', 'exports.handler = async (request) => {};'],
    ['a Hapi handler property', "module.exports = [{ method: 'GET', handler: (request) => {} }];"],
    ['a route callback', "router.get('/x', (request) => {});"],
    ["a worker's fetch method", 'export default { async fetch(request, cfg) {} };'],
  ])('is a request with %s', (_, text) => {
    expect(Object.values(answers(text))).toEqual([false]);
  });

  it('every `request` parameter of a file importing an HTTP framework is a request', () => {
    expect(Object.values(answers("hook.tap('x', (request) => {});", ['fastify']))).toEqual([false]);
    expect(Object.values(answers("hook.tap('x', (request) => {});", ['node:http']))).toEqual([true]);
  });

  it('nothing to answer when no function declares `request`', () => {
    expect(answers('function f(req, res) { const request = req; }')).toEqual({});
    expect(answers('const g = ({ request }) => request.json();')).toEqual({});
  });
});
