import { describe, expect, it } from 'vitest';
import { JS_NAME_ESCAPE, jsEscapesDecoded } from '../../../src/languages/javascript/escaped-text.js';
import { extractJsSessionsWith, jsSessionsMayApply } from '../../../src/languages/javascript/sessions.js';
import { pyEscapesDecoded } from '../../../src/languages/python/escaped-text.js';
import { SESSION_SETTING_WORD, extractPySessionsWith, pySessionsMayApply } from '../../../src/languages/python/sessions.js';
import { decodeLiteral } from '../../../src/languages/python/string-literal.js';
import type { FileFacts } from '../../../src/model/facts.js';
import { SESSION_SETTING_NAMES } from '../../../src/model/session-settings.js';
import { JS_FILE, compareGate, fixtureFiles, jsFeatureInput, pyFeatureInput } from '../../helpers/feature-input.js';
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** The session facts of a Python file with and without the gate, and the gate's answer. */
async function pyBothWays(path: string, text: string): Promise<{ gated: string; full: string; passes: boolean }> {
  const input = await pyFeatureInput(path, text);
  const facts = input.facts;
  const run = (useGate: boolean): string => {
    const copy: FileFacts = { ...facts, sessionFacts: undefined };
    extractPySessionsWith({ ...input, facts: copy }, useGate);
    return JSON.stringify(copy.sessionFacts);
  };
  return { gated: run(true), full: run(false), passes: pySessionsMayApply(text, facts) };
}

function jsBothWays(path: string, text: string): { gated: string; full: string; passes: boolean } {
  const input = jsFeatureInput(path, text);
  const facts = input.facts;
  const run = (useGate: boolean): string => {
    const copy: FileFacts = { ...facts, sessionFacts: undefined };
    extractJsSessionsWith({ ...input, facts: copy }, useGate);
    return JSON.stringify(copy.sessionFacts);
  };
  return { gated: run(true), full: run(false), passes: jsSessionsMayApply(text, facts) };
}

/** Kinds of the facts the full extractor finds in a sample (the sample must be a real one). */
const kinds = (json: string): string[] => (json === undefined || json === 'undefined' ? [] : (JSON.parse(json) as Array<{ kind: string }>).map((f) => f.kind));

describe('extractPySessions gate', () => {
  it('gives the same facts with and without the gate on every Python fixture', async () => {
    const files = fixtureFiles(/\.py$/);
    expect(files.length).toBeGreaterThan(50);
    let withFacts = 0;
    let gatedOut = 0;
    for (const [f, text] of files) {
      const { gated, full, passes } = await pyBothWays(f, text);
      expect(gated, f).toEqual(full);
      if (full !== undefined) withFacts++;
      if (!passes) gatedOut++;
      if (!passes) expect(full, f).toBeUndefined();
    }
    expect(withFacts).toBeGreaterThan(10);
    expect(gatedOut).toBeGreaterThan(10);
  });

  it('every setting name holds a word of the gate', () => {
    for (const name of SESSION_SETTING_NAMES) expect(SESSION_SETTING_WORD.test(name), name).toBe(true);
  });

  const mustMatch: Array<[string, string]> = [
    ['setting', lines('SESSION_COOKIE_SECURE = False')],
    ['setting', lines('from django.conf import settings', 'settings.CSRF_COOKIE_HTTPONLY = False')],
    ['setting', lines('app.config["PERMANENT_SESSION_LIFETIME"] = 31536000')],
    ['setting', lines('app.config.update(REMEMBER_COOKIE_DURATION=31536000)')],
    ['setting', lines('app.config.update({"WTF_CSRF_ENABLED": False})')],
    ['setting', lines('MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]')],
    // String keys written with escapes or split by a line continuation: only the decoded text holds the name.
    ['setting', lines("app.config['\\x53ESSION_COOKIE_\\123ECURE'] = False")],
    ['setting', lines("app.config['SESS\\u0049ON_COOKIE_SAMESITE'] = None")],
    ['setting', lines("app.config['SESSION_COO\\", "KIE_HTTPONLY'] = False")],
    ['csrf-exempt', lines('@csrf_exempt', 'def view(request):', '    return request.user')],
    ['cookie-write', lines('def view(resp):', '    resp.set_cookie("session", "x", secure=False)')],
    ['csrf-protection', lines('csrf = CSRFProtect(app)')],
    ['csrf-protection', lines('csrf.init_app(app)')],
    ['csrf-protection', lines('aiohttp_csrf.setup(app, policy=policy)')],
    ['csrf-protection', lines('app = web.Application(middlewares=[CsRfMiddleware])')],
    ['jwt-sign', lines('import jwt', 'token = jwt.encode({"sub": 1}, key)')],
    ['jwt-verify', lines('from jose import jwt', 'claims = jwt.decode(token, key)')],
    [
      'jwt-decode',
      lines('from jose.jwt import get_unverified_claims', 'def f(request):', '    return get_unverified_claims(request.headers["Authorization"])'),
    ],
    ['session-middleware', lines('import aiohttp_session', 'setup(app, aiohttp_session.SimpleCookieStorage())')],
    ['session-middleware', lines('from aiohttp_session.cookie_storage import EncryptedCookieStorage', 'storage = EncryptedCookieStorage(key)')],
    ['state-changing-route', lines('app.router.add_post("/login", login)')],
    ['state-changing-route', lines('routes = [web', '    .post("/x", h)]')],
    ['state-changing-route', lines('app.router.add_route("DELETE", "/x", h)')],
    [
      'session-login',
      lines('from aiohttp_session import get_session', 'async def login(request):', '    session = await get_session(request)', '    session["user_id"] = 1'),
    ],
  ];
  it.each(mustMatch)('lets through a file with a %s fact', async (kind, text) => {
    const { gated, full, passes } = await pyBothWays('app.py', text);
    expect(kinds(full)).toContain(kind);
    expect(passes).toBe(true);
    expect(gated).toEqual(full);
  });

  const mustNot = [
    lines('def f(x):', '    return x + 1'),
    lines('import os', 'print(os.getcwd())'),
    lines('app.config["DEBUG"] = True', 'config.update(debug=True)'),
    lines("app.config['DEBUG\\x41'] = 1", 's = "line\\', 'continued"'),
    lines('response.headers["X-Frame-Options"] = "DENY"'),
  ];
  it.each(mustNot)('rejects a file without anything it reads: %j', async (text) => {
    const { full, passes } = await pyBothWays('app.py', text);
    expect(passes).toBe(false);
    expect(full).toBeUndefined();
  });

  it('decodes escapes as Python reads a literal (what the gate looks for in string keys)', () => {
    for (const literal of ["'\\x53ESSION'", "'\\u0053ESSION'", "'\\U00000053ESSION'", "'\\123ESSION'", "b'\\523ESSION'", "'SES\\\nSION'", "'SES\\\r\nSION'"]) {
      expect(decodeLiteral(literal)?.replace(/^b/, ''), literal).toBe('SESSION');
      expect(pyEscapesDecoded(literal), literal).toContain('SESSION');
    }
    expect(pyEscapesDecoded('a = "\\\\x53"')).not.toContain('S');
    expect(pyEscapesDecoded('plain text')).toBe('plain text');
  });
});

describe('extractJsSessions gate', () => {
  it('gives the same facts with and without the gate on every JS/TS fixture', async () => {
    const { compared, withFacts, gatedOut } = await compareGate(fixtureFiles(JS_FILE), jsBothWays, 'skip');
    expect(compared).toBeGreaterThan(100);
    expect(withFacts).toBeGreaterThan(10);
    expect(gatedOut).toBeGreaterThan(10);
  });

  const mustMatch: Array<[string, string]> = [
    ['csrf-protection', lines("import csurf from 'csurf';")],
    ['csrf-protection', lines('app.use(csrf());')],
    ['csrf-protection', lines('app.use(lusca());')],
    ['session-middleware', lines("import s from 'express-session';", 'app.use(s({ secret: k }));')],
    ['session-middleware', lines("import fs from '@fastify/session';", 'app.register(fs, { secret: k });')],
    ['cookie-write', lines("res.cookie('sid', v, { httpOnly: false });")],
    ['cookie-write', lines("res.set('sid', v);")],
    ['cookie-write', lines("cookies().set('token', v);")],
    ['state-changing-route', lines("app.post('/login', handler);")],
    ['state-changing-route', lines("router.del('/item', handler);")],
    ['jwt-sign', lines('jwt.sign({ sub: 1 }, key);')],
    ['jwt-sign', lines("import { sign } from 'jsonwebtoken';", 'sign({ sub: 1 }, key);')],
    ['jwt-verify', lines("import * as j from 'jsonwebtoken';", "j.verify(t, key, { algorithms: ['none'] });")],
    ['jwt-decode', lines("import { decodeJwt } from 'jose';", 'const c = decodeJwt(t);')],
    ['jwt-unsecured', lines("import * as jose from 'jose';", 'new jose.UnsecuredJWT({}).encode();')],
    ['jwt-sign', lines('JwtModule.register({ secret: k });')],
    ['jwt-verify', lines('new Strategy({ jwtFromRequest: f, ignoreExpiration: true });')],
    ['session-login', lines('function login(req) { req.session.userId = 1; }')],
    // Names written with escapes: only the decoded text holds them.
    ['session-login', lines('function login(req) { req.s\\u0065ssion.userId = 1; }')],
    ['session-login', lines("function login(req) { req['s\\x65ssion'].userId = 1; }")],
    ['cookie-write', lines("r\\u0065s['s\\et']('sid', v);")],
    ['state-changing-route', lines("app['p\\", "ost']('/login', handler);")],
    ['state-changing-route', lines('// a comment ending in a backslash \\', "app.p\\u006fst('/login', handler);")],
  ];
  it.each(mustMatch)('lets through a file with a %s fact', (kind, text) => {
    const { gated, full, passes } = jsBothWays('app.js', text);
    expect(kinds(full)).toContain(kind);
    expect(passes).toBe(true);
    expect(gated).toEqual(full);
  });

  const mustNot = [
    lines('const x = 1;', 'export default x;'),
    lines('map.set(k, v);', 'console.log(map.get(k));'),
    lines("const s = 'a\\nb\\tc';", 'const r = /\\d+/;'),
    lines("import express from 'express';", "app.get('/x', (q, r) => r.json({}));"),
  ];
  it.each(mustNot)('rejects a file without anything it reads: %j', (text) => {
    const { full, passes } = jsBothWays('app.js', text);
    expect(passes).toBe(false);
    expect(full).toBeUndefined();
  });

  it('decodes escapes as JavaScript reads them (what the gate looks for)', () => {
    expect(jsEscapesDecoded("'\\x73\\u0065\\u{73}\\163ion'", '')).toBe("'session'");
    expect(jsEscapesDecoded("'s\\et'", '')).toBe("'set'");
    expect(jsEscapesDecoded("'se\\\nssion'", '')).toBe("'session'");
    expect(jsEscapesDecoded('// x \\\nres', '\n')).toBe('// x \nres');
    expect(JS_NAME_ESCAPE.test("'a\\nb\\tc\\r\\f\\v\\b'")).toBe(false);
    expect(JS_NAME_ESCAPE.test("'\\s'")).toBe(true);
  });
});
