import { describe, expect, it } from 'vitest';
import {
  CAPABILITY_PARAM_SAMPLES,
  CAPTCHA_CHECK,
  CAPTCHA_SAMPLES,
  CATCH_ALL_PATH,
  LOGOUT_PATH,
  TOKEN_CHECK,
  TOKEN_CHECK_SAMPLES,
  TOKEN_FLOW_PATH,
  capabilityParams,
  publicByDesign,
} from '../../src/model/endpoint-public.js';
import type { Endpoint } from '../../src/model/endpoints.js';
import { textPathValue } from '../../src/languages/python/frameworks/common.js';

function endpoint(path: string, methods: string[], facts?: Endpoint['handlerFacts']): Endpoint {
  const e: Endpoint = {
    framework: 'express',
    methods,
    path,
    file: 'app.js',
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
    guards: [],
    optOuts: [],
  };
  if (facts) e.handlerFacts = facts;
  return e;
}

describe('public-by-design tables', () => {
  for (const t of [LOGOUT_PATH, TOKEN_FLOW_PATH, CATCH_ALL_PATH]) {
    it(`${t.id} matches its samples`, () => {
      for (const p of t.must) expect(t.pattern.test(p), p).toBe(true);
      for (const p of t.mustNot) expect(t.pattern.test(p), p).toBe(false);
    });
  }
  it('capability parameters', () => {
    for (const p of CAPABILITY_PARAM_SAMPLES.must) expect(capabilityParams(p).length, p).toBeGreaterThan(0);
    for (const p of CAPABILITY_PARAM_SAMPLES.mustNot) expect(capabilityParams(p), p).toEqual([]);
  });
  it('CAPTCHA checks', () => {
    for (const t of CAPTCHA_SAMPLES.must) expect(CAPTCHA_CHECK.test(t), t).toBe(true);
    for (const t of CAPTCHA_SAMPLES.mustNot) expect(CAPTCHA_CHECK.test(t), t).toBe(false);
  });
  it('token checks', () => {
    for (const t of TOKEN_CHECK_SAMPLES.must) expect(TOKEN_CHECK.test(t), t).toBe(true);
    for (const t of TOKEN_CHECK_SAMPLES.mustNot) expect(TOKEN_CHECK.test(t), t).toBe(false);
  });
});

describe('publicByDesign', () => {
  const plain = { ownership: false, verifiesSignature: false };
  it('gives the reason', () => {
    expect(publicByDesign(endpoint('/auth/logout', ['POST']))).toBe('logout');
    expect(publicByDesign(endpoint('/healthz', ['GET']))).toBe('health or status probe');
    expect(publicByDesign(endpoint('/webhooks/stripe', ['POST'], { ...plain, verifiesSignature: true }))).toMatch(/signature/);
    expect(publicByDesign(endpoint('/ping/<uuid:code>', ['POST'], { ...plain, capabilityNames: ['code'] }))).toMatch(/^capability URL: .*`code`/);
    expect(publicByDesign(endpoint('/invites/:token/accept', ['POST'], { ...plain, capabilityNames: ['token'] }))).toMatch(/^token link/);
    expect(publicByDesign(endpoint('/go/:name', ['GET'], { ...plain, signals: ['redirect'] }))).toBe('redirect only');
    expect(publicByDesign(endpoint('/contact', ['POST'], { ...plain, signals: ['captcha'] }))).toBe('form protected by a CAPTCHA');
    expect(publicByDesign(endpoint('/confirm/<data>', ['GET', 'POST'], { ...plain, signals: ['token-check'] }))).toMatch(/^token link/);
  });
  it('is null without evidence', () => {
    // A webhook path whose handler checks nothing, a token in the path the handler never uses, a UUID primary key.
    expect(publicByDesign(endpoint('/webhooks/stripe', ['POST'], plain))).toBeNull();
    expect(publicByDesign(endpoint('/share/:token', ['GET'], plain))).toBeNull();
    expect(publicByDesign(endpoint('/orders/<uuid:pk>', ['DELETE'], { ...plain, capabilityNames: ['pk'] }))).toBeNull();
    expect(publicByDesign(endpoint('/orders/:id', ['DELETE']))).toBeNull();
    // The GET that serves a CAPTCHA image is no protected form; a token check on a path that is no token flow proves nothing.
    expect(publicByDesign(endpoint('/rest/image-captcha', ['GET'], { ...plain, signals: ['captcha'] }))).toBeNull();
    expect(publicByDesign(endpoint('/orders/<data>', ['POST'], { ...plain, signals: ['token-check'] }))).toBeNull();
  });
});

describe('Python path expressions', () => {
  const constants = new Map<string, string | null>([
    ['BASE', 'api/'],
    ['TWICE', null],
  ]);
  it('resolves known parts and keeps unknown ones as written, never as /', () => {
    expect(textPathValue('f"{prefix}admin/login/"', constants)).toBe('{prefix}admin/login/');
    expect(textPathValue('f"{BASE}users/"', constants)).toBe('api/users/');
    expect(textPathValue('BASE + "items/"', constants)).toBe('api/items/');
    expect(textPathValue('settings.BASE + f"x/{TWICE}"', constants)).toBe('api/x/{TWICE}');
    expect(textPathValue('get_prefix() + "a/"', constants)).toBe('{get_prefix()}a/');
  });
});
