import { describe, expect, it } from 'vitest';
import {
  PROVIDER_MISMATCH_SAMPLES,
  USER_NAME_PASSWORD_SAMPLES,
  isUserNamePassword,
  localCredentialNote,
  providerFormatMismatch,
  userNameCompanions,
} from '../../src/model/secret-names.js';

describe('local stand-in credentials (issue 15)', () => {
  it.each(PROVIDER_MISMATCH_SAMPLES.mismatch)('%s = %s cannot be a %s credential', (name, value, provider) => {
    expect(providerFormatMismatch(name, value)).toBe(provider);
  });
  it.each(PROVIDER_MISMATCH_SAMPLES.noMismatch)('%s keeps its value as a possible credential', (name, value) => {
    expect(providerFormatMismatch(name, value)).toBeNull();
  });
  it.each(USER_NAME_PASSWORD_SAMPLES.companions)('%s pairs with %s', (password, user) => {
    expect(userNameCompanions(password)).toContain(user);
  });
  it.each(USER_NAME_PASSWORD_SAMPLES.pairs)('%s made of %s: %s', (password, user, expected) => {
    expect(isUserNamePassword(password, user)).toBe(expected);
  });
  it('a password fallback made of its user-name fallback is a local default; other kinds and names are not', () => {
    const user = { name: 'MINIO_USER', value: 'polar', kind: 'env-fallback' };
    expect(localCredentialNote({ name: 'MINIO_PWD', value: 'polarpolar', kind: 'env-fallback' }, [user])).toMatch(/user name/);
    expect(localCredentialNote({ name: 'MINIO_PWD', value: 'polarpolar', kind: 'variable' }, [user])).toBeNull();
    expect(localCredentialNote({ name: 'MINIO_PWD', value: 'Zq8-polar-X2', kind: 'env-fallback' }, [user])).toBeNull();
    expect(localCredentialNote({ name: 'SECRET', value: 'polarpolar', kind: 'env-fallback' }, [user])).toBeNull();
  });
});
