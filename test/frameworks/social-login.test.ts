import { describe, expect, it } from 'vitest';
import { SOCIAL_LOGIN_PATH, authSensitiveKind } from '../../src/model/endpoint-guards.js';

describe('sign-in with an identity provider is no password-guessing target', () => {
  it.each(SOCIAL_LOGIN_PATH.must)('provider sign-in: %s', (p) => {
    expect(SOCIAL_LOGIN_PATH.pattern.test(p)).toBe(true);
    expect(authSensitiveKind(p, ['POST'])).toBeNull();
  });
  it.each(SOCIAL_LOGIN_PATH.mustNot)('not a provider sign-in: %s', (p) => expect(SOCIAL_LOGIN_PATH.pattern.test(p)).toBe(false));
  it('a password sign-in stays sensitive', () => expect(authSensitiveKind('/v1/auth/email/login', ['POST'])).toBe('login'));
});
