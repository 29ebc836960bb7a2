import { describe, expect, it } from 'vitest';
import {
  BODY_CHECKS,
  classifyGuardName,
  GUARD_NAME_SAMPLES,
  OWNER_CONSTRAINT,
  OWNER_CONSTRAINT_SAMPLES,
  RECORD_READ_CALL,
  RECORD_READ_SAMPLES,
  REQUEST_SOURCES,
} from '../../src/languages/python/tables/guards.js';

describe('Python guard names', () => {
  it.each(GUARD_NAME_SAMPLES.map((s) => [s.name, s] as const))('%s', (_name, sample) => {
    expect(classifyGuardName(sample.name)).toEqual({ kinds: sample.kinds, optOut: sample.optOut ?? false });
  });
});

describe('Python handler-body checks', () => {
  const cases = BODY_CHECKS.flatMap((check) => [
    ...check.match.map((text) => [`${check.name} matches ${JSON.stringify(text)}`, check.pattern, text, true] as const),
    ...check.noMatch.map((text) => [`${check.name} does not match ${JSON.stringify(text)}`, check.pattern, text, false] as const),
  ]);
  it.each(cases)('%s', (_title, pattern, text, expected) => {
    expect(pattern.test(text)).toBe(expected);
  });
});

describe('Python record access tables', () => {
  it.each(RECORD_READ_SAMPLES.match)('a record read: %s', (text) => {
    expect([...text.matchAll(RECORD_READ_CALL)].length).toBeGreaterThan(0);
  });
  it.each(RECORD_READ_SAMPLES.noMatch)('not a record read: %s', (text) => {
    expect([...text.matchAll(RECORD_READ_CALL)].map((m) => m[0])).toEqual([]);
  });
  const sources = REQUEST_SOURCES.flatMap((s) => [
    ...s.match.map((text) => [`${s.source} source matches ${text}`, s.pattern, text, true] as const),
    ...s.noMatch.map((text) => [`${s.source} source does not match ${text}`, s.pattern, text, false] as const),
  ]);
  it.each(sources)('%s', (_title, pattern, text, expected) => {
    expect(pattern.test(text)).toBe(expected);
  });
  it.each(OWNER_CONSTRAINT_SAMPLES.match)('the current user constrains: %s', (text) => {
    expect(OWNER_CONSTRAINT.test(text)).toBe(true);
  });
  it.each(OWNER_CONSTRAINT_SAMPLES.noMatch)('no owner constraint: %s', (text) => {
    expect(OWNER_CONSTRAINT.test(text)).toBe(false);
  });
});
