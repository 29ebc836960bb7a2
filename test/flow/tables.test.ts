import { describe, expect, it } from 'vitest';
import { REQUEST_PARAM_EVIDENCE } from '../../src/languages/javascript/tables/request-params.js';
import { JS_SANITISERS, JS_SINKS, JS_SOURCE_CALLS, JS_SOURCE_WORDS, JS_SOURCES, isJsSanitiser } from '../../src/languages/javascript/tables/taint.js';
import {
  PY_RAW_ANNOTATION,
  PY_RAW_ANNOTATION_SAMPLES,
  PY_GRAPHQL_RESOLVER,
  PY_GRAPHQL_RESOLVER_SAMPLES,
  PY_SANITISERS,
  PY_SINKS,
  PY_SOURCE_CALLS,
  PY_SOURCES,
  isPySanitiser,
} from '../../src/languages/python/tables/taint.js';
import {
  CAUGHT_SAMPLES,
  CLIENT_ERROR_SAMPLES,
  DEV_ONLY_FILE,
  DEV_ONLY_FILE_SAMPLES,
  DEV_ONLY_TEST,
  DEV_ONLY_TEST_SAMPLES,
  ERROR_MEMBER_SAMPLES,
  ERROR_RESPONSE_JS,
  ERROR_RESPONSE_PY,
  JS_DEBUG_SETTINGS,
  PY_DEBUG_CALLS,
  PY_DEBUG_CALL_SAMPLES,
  PY_DEBUG_TOOLBARS,
  PY_DEBUG_TOOLBAR_SAMPLES,
  PY_TRACEBACK_CALLS,
  caughtRevealsInternals,
  pythonTopLevelNames,
  PY_TRACEBACK_SAMPLES,
  isClientErrorStatus,
  leakOfErrorMember,
} from '../../src/model/error-exposure.js';

/** Every table entry proves itself: each `must` sample matches it, each `mustNot` sample does not. */
function samples(tables: Record<string, ReadonlyArray<{ id: string; must: string[]; mustNot: string[] }>>, test: (entry: never, sample: string) => boolean) {
  const rows: Array<[string, string, boolean, unknown]> = [];
  for (const [table, entries] of Object.entries(tables)) {
    for (const e of entries) {
      for (const s of e.must) rows.push([`${table}/${e.id}`, s, true, e]);
      for (const s of e.mustNot) rows.push([`${table}/${e.id}`, s, false, e]);
    }
  }
  it.each(rows)('%s: %s → %s', (_, sample, expected, entry) => {
    expect(test(entry as never, sample)).toBe(expected);
  });
}

describe('every JS request source goes through one of the pre-scan words', () => {
  const rows = [...JS_SOURCES, ...JS_SOURCE_CALLS].flatMap((e) => e.must.map((sample) => [e.id, sample, e.pattern] as const));
  it.each(rows)('%s: %s', (_, sample, pattern) => {
    const segments = sample.split('.').map((s) => s.replace(/\(\)$/, ''));
    expect(segments.some((s) => JS_SOURCE_WORDS.has(s))).toBe(true);
    // Without its source words the path is no source: the pre-scan may skip code that has none.
    const renamed = sample
      .split('.')
      .map((s) => (JS_SOURCE_WORDS.has(s.replace(/\(\)$/, '')) ? s.replace(/^[\w$]+/, 'other') : s))
      .join('.');
    expect(pattern.test(renamed)).toBe(false);
  });
});

describe('sources match request data only', () => {
  samples({ JS_SOURCES, JS_SOURCE_CALLS, PY_SOURCES, PY_SOURCE_CALLS }, (e: { pattern: RegExp }, s) => e.pattern.test(s));
});

describe('what makes a `request` parameter an HTTP request (JS)', () => {
  samples({ REQUEST_PARAM_EVIDENCE: Object.values(REQUEST_PARAM_EVIDENCE) }, (e: { pattern: RegExp }, s) => e.pattern.test(s));
});

describe('sinks match their callees only', () => {
  samples({ JS_SINKS, PY_SINKS, ERROR_RESPONSE_JS, ERROR_RESPONSE_PY, JS_DEBUG_SETTINGS }, (e: { callee: RegExp }, s) => e.callee.test(s));
});

describe('sanitisers', () => {
  samples({ JS_SANITISERS }, (_: unknown, s) => isJsSanitiser(s));
  samples({ PY_SANITISERS }, (_: unknown, s) => isPySanitiser(s));
});

describe.each([
  ['DEV_ONLY_TEST', DEV_ONLY_TEST, DEV_ONLY_TEST_SAMPLES],
  ['DEV_ONLY_FILE', DEV_ONLY_FILE, DEV_ONLY_FILE_SAMPLES],
  ['PY_TRACEBACK_CALLS', PY_TRACEBACK_CALLS, PY_TRACEBACK_SAMPLES],
  ['PY_DEBUG_CALLS', PY_DEBUG_CALLS, PY_DEBUG_CALL_SAMPLES],
  ['PY_DEBUG_TOOLBARS', PY_DEBUG_TOOLBARS, PY_DEBUG_TOOLBAR_SAMPLES],
  ['PY_RAW_ANNOTATION', PY_RAW_ANNOTATION, PY_RAW_ANNOTATION_SAMPLES],
  ['PY_GRAPHQL_RESOLVER', PY_GRAPHQL_RESOLVER, PY_GRAPHQL_RESOLVER_SAMPLES],
] as const)('%s', (_, pattern, { must, mustNot }) => {
  it.each(must)('matches %s', (s) => expect(pattern.test(s)).toBe(true));
  it.each(mustNot)('does not match %s', (s) => expect(pattern.test(s)).toBe(false));
});

describe('client-error statuses', () => {
  it.each(CLIENT_ERROR_SAMPLES.must)('%s is a 4xx', (s) => expect(isClientErrorStatus(s)).toBe(true));
  it.each(CLIENT_ERROR_SAMPLES.mustNot)('%s is not a 4xx', (s) => expect(isClientErrorStatus(s)).toBe(false));
});

describe('caught exception types (SOC2-007, Python)', () => {
  const project = new Set(['saleor']);
  it.each(CAUGHT_SAMPLES.internal)('%s may carry internals', (t) => expect(caughtRevealsInternals([t], project)).toBe(true));
  it.each(CAUGHT_SAMPLES.client)('%s is written for the client', (t) => expect(caughtRevealsInternals([t], project)).toBe(false));
  it.each(CAUGHT_SAMPLES.project)('%s is the project own', (t) => expect(caughtRevealsInternals([t], project)).toBe(false));
  it.each(CAUGHT_SAMPLES.parse)('%s sent as such may carry internals', (t) => expect(caughtRevealsInternals([t], project, 'JsonResponse')).toBe(true));
  it.each(CAUGHT_SAMPLES.parse)('%s re-raised as a ValidationError is input feedback', (t) =>
    expect(caughtRevealsInternals([t], project, 'ValidationError')).toBe(false),
  );
  it('a parse error with a database error in one clause still reveals internals', () =>
    expect(caughtRevealsInternals(['ValueError', 'django.db.DatabaseError'], project, 'ValidationError')).toBe(true));
  it('a tuple with one broad or library member may carry internals', () => {
    expect(caughtRevealsInternals(['django.core.exceptions.ValidationError', 'KeyError'], project)).toBe(true);
    expect(caughtRevealsInternals(['.exceptions.InsufficientStock', 'rest_framework.exceptions.ValidationError'], project)).toBe(false);
  });
  it('top-level packages and loose modules are named as imports name them', () => {
    const names = pythonTopLevelNames(['saleor/__init__.py', 'saleor/core/__init__.py', 'saleor/core/x.py', 'src/app.py', 'tests/test_x.py', 'README.md']);
    expect([...names].sort()).toEqual(['app', 'saleor', 'test_x']);
  });
});

describe('error members', () => {
  it.each(ERROR_MEMBER_SAMPLES.full)('err.%s leaks internals', (m) => expect(leakOfErrorMember(m)).toBe('full'));
  it.each(ERROR_MEMBER_SAMPLES.message)('err.%s leaks the message', (m) => expect(leakOfErrorMember(m)).toBe('message'));
  it.each(ERROR_MEMBER_SAMPLES.none)('err.%s leaks nothing', (m) => expect(leakOfErrorMember(m)).toBe(null));
});
