import { describe, expect, it } from 'vitest';
import {
  GateText,
  extractJsErrorExposuresWith,
  jsDebugModeMayApply,
  jsErrorExposureMayApply,
  jsErrorResponseMayApply,
} from '../../../src/languages/javascript/error-exposure.js';
import {
  extractPyErrorExposuresWith,
  pyDebugModeMayApply,
  pyErrorExposureMayApply,
  pyErrorResponseMayApply,
} from '../../../src/languages/python/error-exposure.js';
import { parsePythonSyntax } from '../../../src/languages/python/parse.js';
import type { ErrorExposure } from '../../../src/model/data-flow.js';
import type { FileFacts } from '../../../src/model/facts.js';
import { JS_FILE, compareGate, fixtureFiles, jsFeatureInput, pyFeatureInput } from '../../helpers/feature-input.js';

/** The SOC2-007 facts of a Python file with and without the gate, and whether the gate lets the file through. */
async function pyBothWays(path: string, text: string): Promise<{ gated: unknown; full: unknown; passes: boolean }> {
  const input = await pyFeatureInput(path, text);
  const run = (useGate: boolean): unknown => {
    const copy: FileFacts = { ...input.facts, errorExposures: undefined };
    extractPyErrorExposuresWith({ ...input, facts: copy }, useGate);
    return copy.errorExposures;
  };
  return { gated: run(true), full: run(false), passes: pyErrorExposureMayApply(text, input.root) };
}

/** The same for a JS/TS file (null when Babel gives no tree at all). */
function jsBothWays(path: string, text: string): { gated: unknown; full: unknown; passes: boolean } | null {
  let input: ReturnType<typeof jsFeatureInput>;
  try {
    input = jsFeatureInput(path, text);
  } catch {
    return null;
  }
  const run = (useGate: boolean): unknown => {
    const copy: FileFacts = { ...input.facts, errorExposures: undefined };
    extractJsErrorExposuresWith({ ...input, facts: copy }, useGate);
    return copy.errorExposures;
  };
  return { gated: run(true), full: run(false), passes: jsErrorExposureMayApply(text, input.facts, input.index) };
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('SOC2-007 gate (Python)', () => {
  it('gives the same facts with and without the gate on every Python fixture', async () => {
    const files = fixtureFiles(/\.py$/);
    expect(files.length).toBeGreaterThan(50);
    const { withFacts, gatedOut } = await compareGate(files, pyBothWays);
    // The comparison means something only when facts are found and files are gated out.
    expect(withFacts).toBeGreaterThan(10);
    expect(gatedOut).toBeGreaterThan(50);
  });

  /** Samples the gate must let through: each gives a fact of its kind without the gate (so the sample is one). */
  const mustPass: Array<[string, string, string, ErrorExposure['kind']]> = [
    ['app.run(debug=True)', 'app.py', lines('app.run(debug=True)'), 'debug-mode'],
    ['debug=(True) through parentheses', 'app.py', lines('app.run(host="0.0.0.0", debug=(True))'), 'debug-mode'],
    ['config.update(DEBUG=True)', 'app.py', lines('app.config.update(DEBUG=True)'), 'debug-mode'],
    ['DEBUG = True in settings', 'proj/settings.py', lines('DEBUG = True'), 'debug-mode'],
    ['annotated DEBUG in a config class', 'app.py', lines('class Config:', '    DEBUG: bool = True'), 'debug-mode'],
    ["config['DEBUG'] = True", 'app.py', lines("app.config['DEBUG'] = True"), 'debug-mode'],
    ['app.debug = True', 'app.py', lines('app.debug = True'), 'debug-mode'],
    ['a debug toolbar, no True', 'app.py', lines('from flask_debugtoolbar import DebugToolbarExtension', 'DebugToolbarExtension(app)'), 'debug-mode'],
    ['aiohttp toolbar imported by name', 'app.py', lines('from aiohttp_debugtoolbar import setup', 'setup(app)'), 'debug-mode'],
    ['errorhandler', 'app.py', lines('@app.errorhandler(500)', 'def h(e):', '    return f"{e}", 500'), 'error-response'],
    [
      'a decorator joined over a comment',
      'app.py',
      lines('@app.register(y,  # error', '    handler)', 'def h(e):', '    return f"{e}", 500'),
      'error-response',
    ],
    [
      'route decorator on a view',
      'app.py',
      lines('@bp.get("/x")', 'def v():', '    try:', '        pass', '    except Exception as e:', '        return f"{e}"'),
      'error-response',
    ],
    [
      'request parameter',
      'views.py',
      lines('def v(request):', '    try:', '        pass', '    except Exception as e:', '        return f"{e}"'),
      'error-response',
    ],
    [
      'request after a comment',
      'views.py',
      lines('def v(self,  # the view', '      request):', '    try:', '        pass', '    except Exception as e:', '        return f"{e}"'),
      'error-response',
    ],
    [
      'jsonify in an except',
      'app.py',
      lines('def v():', '    try:', '        pass', '    except Exception as e:', '        jsonify(error=str(e))'),
      'error-response',
    ],
    [
      'jsonify through an import',
      'app.py',
      lines('import flask as f', 'try:', '    pass', 'except Exception as e:', '    f.jsonify(str(e))'),
      'error-response',
    ],
    ['web module alias', 'app.py', lines('import web as w', 'try:', '    pass', 'except Exception as e:', '    w.json_response(str(e))'), 'error-response'],
    [
      'web subscript',
      'app.py',
      lines('from aiohttp import web', 'try:', '    pass', 'except Exception as e:', "    web['Response'](str(e))"),
      'error-response',
    ],
    ['abort', 'app.py', lines('try:', '    pass', 'except KeyError as e:', '    abort(500, str(e))'), 'error-response'],
    ['traceback in a response', 'app.py', lines('def v():', '    return HttpResponse(traceback.format_exc())'), 'error-response'],
    ['GraphQL error formatter', 'schema.py', lines('def format_error(error):', '    return {"trace": traceback.format_exc()}'), 'error-response'],
  ];

  for (const [name, path, text, kind] of mustPass) {
    it(`lets through: ${name}`, async () => {
      const { root } = await parsePythonSyntax(text);
      expect(pyErrorExposureMayApply(text, root)).toBe(true);
      expect(kind === 'debug-mode' ? pyDebugModeMayApply(text, root) : pyErrorResponseMayApply(text, root)).toBe(true);
      const { full } = await pyBothWays(path, text);
      expect((full as ErrorExposure[] | undefined)?.map((e) => e.kind)).toContain(kind);
    });
  }

  const mustReject: Array<[string, string]> = [
    ['no debug, no except', lines('import os', 'def f(x):', '    return os.path.join(x, "a")')],
    ['debug logging beside a True', lines('logger.debug("x")', 'flag = True', 'run(verbose=True)')],
    ['debug = False', lines('app.run(debug=False)', 'DEBUG = False')],
    ['except with logging only', lines('try:', '    pass', 'except Exception as e:', '    logger.error(str(e))', '    self.abort()')],
    ['a request that is no parameter', lines('import urllib.request', 'try:', '    urllib.request.urlopen(u)', 'except OSError as e:', '    print(e)')],
    ['traceback printed', lines('import traceback', 'def f():', '    traceback.print_exc()')],
    ['decorators of other kinds', lines('@property', 'def x(self):', '    return 1', '@functools.lru_cache(maxsize=None)', 'def y():', '    pass')],
  ];

  for (const [name, text] of mustReject) {
    it(`rejects: ${name}`, async () => {
      const { root } = await parsePythonSyntax(text);
      expect(pyErrorExposureMayApply(text, root)).toBe(false);
    });
  }
});

describe('SOC2-007 gate (JavaScript/TypeScript)', () => {
  it('gives the same facts with and without the gate on every JS/TS fixture', async () => {
    const { compared, withFacts, gatedOut } = await compareGate(fixtureFiles(JS_FILE), jsBothWays);
    expect(compared).toBeGreaterThan(100);
    expect(withFacts).toBeGreaterThan(5);
    expect(gatedOut).toBeGreaterThan(50);
  });

  const gates = (path: string, text: string): { all: boolean; debug: boolean; response: boolean } => {
    const { index, facts } = jsFeatureInput(path, text, 'typescript');
    const words = new GateText(text, index);
    return { all: jsErrorExposureMayApply(text, facts, index), debug: jsDebugModeMayApply(words, facts), response: jsErrorResponseMayApply(words) };
  };

  const mustPass: Array<[string, string, ErrorExposure['kind']]> = [
    ['express response', 'app.get("/", (req, res) => { try { f(); } catch (err) { res.status(500).json({ error: err.stack }); } });', 'error-response'],
    ['an escaped root name', 'function h(err, req, r\\u0065s, next) { r\\u0065s.send(err.stack); }', 'error-response'],
    [
      'Next.js response',
      'export async function GET() { try { f(); } catch (e) { return NextResponse.json({ error: e.message }, { status: 500 }); } }',
      'error-response',
    ],
    ['koa body', 'app.use(async (ctx, next) => { try { await next(); } catch (err) { ctx.body = err.stack; } });', 'error-response'],
    ['Nest exception', 'async function f() { try { g(); } catch (e) { throw new InternalServerErrorException(e.message); } }', 'error-response'],
    ['Nest controller return', '@Controller() class C { @Get() async g() { try { return 1; } catch (e) { return e.stack; } } }', 'error-response'],
    ['errorhandler()', "import errorhandler from 'errorhandler'; app.use(errorhandler());", 'debug-mode'],
    ['errorhandler imported under another name', "import eh from 'errorhandler'; app.use(eh());", 'debug-mode'],
    ['errorhandler from an escaped module name', "import eh from '\\x65rrorhandler'; app.use(eh());", 'debug-mode'],
    ['Apollo debug', "import { ApolloServer } from '@apollo/server'; new ApolloServer({ typeDefs, debug: true });", 'debug-mode'],
    ['Apollo by an escaped key', "import * as a from '@apollo/server'; new a['Apollo\\x53erver']({ 'de\\x62ug': true });", 'debug-mode'],
    ['escaped true', "import { ApolloServer } from '@apollo/server'; new ApolloServer({ includeStacktraceInErrorResponses: \\u0074rue });", 'debug-mode'],
  ];

  for (const [name, text, kind] of mustPass) {
    it(`lets through: ${name}`, () => {
      const g = gates('a.ts', text);
      expect(g.all).toBe(true);
      expect(kind === 'debug-mode' ? g.debug : g.response).toBe(true);
      const both = jsBothWays('a.ts', text);
      expect(
        (both?.full as ErrorExposure[] | undefined)?.map((e) => e.kind),
        name,
      ).toContain(kind);
    });
  }

  const mustReject: Array<[string, string]> = [
    ['a catch that logs', 'function f() { try { g(); } catch (e) { console.error(e.stack); } }'],
    ['debug off', "import { ApolloServer } from '@apollo/server'; new ApolloServer({ debug: false });"],
    ['a debug option elsewhere', 'const options = { debug: true }; createServer(options);'],
    ['names only inside longer words', 'const result = resolve(address); const context = ctxa;'],
    ['escapes of other characters', "const s = '\\u00e9t\\u00e9'; const t = 'a\\nb';"],
  ];

  for (const [name, text] of mustReject) {
    it(`rejects: ${name}`, () => {
      expect(gates('a.ts', text).all).toBe(false);
    });
  }
});
