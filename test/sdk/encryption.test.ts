import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptField, encryptField, envKeyProvider, keyIdOf, reencryptField, staticKeyProvider } from '../../src/sdk/index.js';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('encryptField / decryptField', () => {
  it('round-trips with a key id per value, and never twice the same ciphertext', () => {
    const keys = staticKeyProvider({ active: 'k1', keys: { k1 } });
    const a = encryptField('123-45-6789', { keys });
    const b = encryptField('123-45-6789', { keys });
    expect(a).not.toBe(b);
    expect(a).not.toContain('123-45-6789');
    expect(keyIdOf(a)).toBe('k1');
    expect(a).toMatch(/^ca1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(decryptField(a, { keys })).toBe('123-45-6789');
    expect(decryptField(encryptField('', { keys }), { keys })).toBe('');
  });

  it('rejects a wrong key, a changed ciphertext, a different context and an unknown key id', () => {
    const keys = staticKeyProvider({ active: 'k1', keys: { k1 } });
    const token = encryptField('secret', { keys, context: 'customers.ssn' });
    expect(() => decryptField(token, { keys: staticKeyProvider({ active: 'k1', keys: { k1: k2 } }), context: 'customers.ssn' })).toThrow(
      /does not authenticate/,
    );
    const parts = token.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    expect(() => decryptField([...parts.slice(0, 3), data.toString('base64url')].join('.'), { keys, context: 'customers.ssn' })).toThrow(
      /does not authenticate/,
    );
    expect(() => decryptField(token, { keys, context: 'customers.tax_id' })).toThrow(/does not authenticate/);
    expect(() => decryptField(token.replace('ca1.k1.', 'ca1.k9.'), { keys })).toThrow(/unknown encryption key id 'k9'/);
    expect(() => decryptField('plain text', { keys })).toThrow(/not an encrypted field value/);
  });

  it('rotation: old values decrypt with the old key id, new values use the new key, reencryptField moves a value over', () => {
    const before = staticKeyProvider({ active: 'k1', keys: { k1 } });
    const old = encryptField('tax-9', { keys: before });
    const after = envKeyProvider('KEYS', { KEYS: `k2:${k2},k1:${k1}` });
    expect(decryptField(old, { keys: after })).toBe('tax-9');
    expect(keyIdOf(encryptField('x', { keys: after }))).toBe('k2');
    const moved = reencryptField(old, { keys: after });
    expect(keyIdOf(moved)).toBe('k2');
    expect(decryptField(moved, { keys: staticKeyProvider({ active: 'k2', keys: { k2 } }) })).toBe('tax-9');
    expect(() => envKeyProvider('KEYS', { KEYS: 'k1:c2hvcnQ=' })).toThrow(/32 bytes/);
    expect(() => envKeyProvider('NOPE', {})).toThrow(/NOPE is not set/);
  });
});
