import { describe, expect, it } from 'vitest';
import {
  DEV_ONLY_PATH_SAMPLES,
  EXPIRY_CLAIM,
  EXPIRY_CLAIM_SAMPLES,
  REQUEST_TOKEN_READ,
  REQUEST_TOKEN_READ_SAMPLES,
  SESSION_COOKIE_SAMPLES,
  SETTING_RULES,
  isDevOnlyPath,
  isSessionCookieName,
  secondsOf,
  settingRuleFor,
} from '../../src/model/session-settings.js';

describe('SETTING_RULES', () => {
  const insecure = SETTING_RULES.flatMap((r) => r.samples.insecure.map((value) => ({ problem: r.problem, value, label: JSON.stringify(value) })));
  const fine = SETTING_RULES.flatMap((r) => r.samples.fine.map((value) => ({ problem: r.problem, value, label: JSON.stringify(value) })));
  const rule = (problem: string) => SETTING_RULES.find((r) => r.problem === problem)!;

  it.each(insecure)('$problem: $label is insecure', ({ problem, value }) => {
    expect(rule(problem).insecure(value)).toBe(true);
  });
  it.each(fine)('$problem: $label is fine', ({ problem, value }) => {
    expect(rule(problem).insecure(value)).toBe(false);
  });

  it('every setting name belongs to one rule', () => {
    const names = SETTING_RULES.flatMap((r) => r.names);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(settingRuleFor('SESSION_COOKIE_SECURE')?.problem).toBe('insecure-cookie');
    expect(settingRuleFor('DEBUG')).toBeUndefined();
  });
});

describe('secondsOf', () => {
  it.each([
    ['timedelta(days=365)', 31_536_000],
    ['datetime.timedelta(hours=1, minutes=30)', 5400],
    ['60 * 60 * 24 * 14', 1_209_600],
    ['1_209_600', 1_209_600],
    ['timedelta(days=settings.DAYS)', null],
    ['os.environ["AGE"]', null],
  ])('%s → %s', (text, seconds) => {
    expect(secondsOf(text)).toBe(seconds);
  });
});

describe('isSessionCookieName', () => {
  it.each(SESSION_COOKIE_SAMPLES.match)('%s carries a session', (name) => {
    expect(isSessionCookieName(name)).toBe(true);
  });
  it.each(SESSION_COOKIE_SAMPLES.noMatch)('%s does not', (name) => {
    expect(isSessionCookieName(name)).toBe(false);
  });
});

describe('isDevOnlyPath', () => {
  it.each(DEV_ONLY_PATH_SAMPLES.match)('%s is development-only', (path) => {
    expect(isDevOnlyPath(path)).toBe(true);
  });
  it.each(DEV_ONLY_PATH_SAMPLES.noMatch)('%s is not', (path) => {
    expect(isDevOnlyPath(path)).toBe(false);
  });
});

describe('EXPIRY_CLAIM', () => {
  it.each(EXPIRY_CLAIM_SAMPLES.match)('%s carries an expiry', (claim) => {
    expect(EXPIRY_CLAIM.test(claim)).toBe(true);
  });
  it.each(EXPIRY_CLAIM_SAMPLES.noMatch)('%s does not', (claim) => {
    expect(EXPIRY_CLAIM.test(claim)).toBe(false);
  });
});

describe('REQUEST_TOKEN_READ', () => {
  it.each(REQUEST_TOKEN_READ_SAMPLES.match)('%s reads a client-sent token', (text) => {
    expect(REQUEST_TOKEN_READ.test(text)).toBe(true);
  });
  it.each(REQUEST_TOKEN_READ_SAMPLES.noMatch)('%s does not', (text) => {
    expect(REQUEST_TOKEN_READ.test(text)).toBe(false);
  });
});
