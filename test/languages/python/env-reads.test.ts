import { describe, expect, it } from 'vitest';
import { ENV_READ_SAMPLES, isEnvMapping, isEnvReadCall } from '../../../src/languages/python/env-reads.js';

describe('environment read table', () => {
  it('matches every must-match sample', () => {
    expect(ENV_READ_SAMPLES.match.filter((callee) => !isEnvReadCall(callee.split('.')))).toEqual([]);
  });

  it('matches no must-not-match sample', () => {
    expect(ENV_READ_SAMPLES.noMatch.filter((callee) => isEnvReadCall(callee.split('.')))).toEqual([]);
  });

  it('knows the environment mappings read by subscript', () => {
    expect([['os', 'environ'], ['environ'], ['os', 'environb'], ['settings']].map(isEnvMapping)).toEqual([true, true, false, false]);
  });
});
