/**
 * Field encryption with AES-256-GCM (node:crypto): `encryptField(value)` → `ca1.<keyId>.<iv>.<ciphertext+tag>`
 * (base64url), `decryptField(token)` → value. Every value names the key it was encrypted with, so after a rotation
 * old values still decrypt with the old key id while new values use the new one (`reencryptField` moves a value
 * over). Keys come from `COMPLIANCEAGENT_ENCRYPTION_KEYS` (`id:base64key,id2:base64key`, the first one encrypts)
 * or from a key provider the application supplies (a KMS, a vault). The Python SDK writes the same format.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyProvider {
  /** The id of the key new values are encrypted with. */
  activeKeyId(): string;
  /** The 32-byte key for an id, or undefined when the id is unknown. */
  getKey(id: string): Uint8Array | undefined;
}

export interface FieldOptions {
  keys?: KeyProvider;
  /** Additional authenticated data, e.g. the table and column: a value copied to another field then fails to decrypt. */
  context?: string;
}

export const KEYS_ENV = 'COMPLIANCEAGENT_ENCRYPTION_KEYS';
const PREFIX = 'ca1';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

function decodeKey(id: string, material: string | Uint8Array): Uint8Array {
  const key = typeof material === 'string' ? Buffer.from(material, 'base64') : material;
  if (key.length !== 32) throw new Error(`encryption key '${id}' must be 32 bytes (AES-256), got ${key.length}`);
  return key;
}

/** A provider from fixed keys: `staticKeyProvider({ active: '2026-01', keys: { '2026-01': k2, '2025-06': k1 } })`. */
export function staticKeyProvider(options: { active: string; keys: Record<string, string | Uint8Array> }): KeyProvider {
  const keys = new Map<string, Uint8Array>();
  for (const [id, material] of Object.entries(options.keys)) {
    if (!KEY_ID.test(id)) throw new Error(`key id '${id}' must be 1-64 letters, digits, '-' or '_'`);
    keys.set(id, decodeKey(id, material));
  }
  if (!keys.has(options.active)) throw new Error(`the active key '${options.active}' is not among the keys`);
  return { activeKeyId: () => options.active, getKey: (id) => keys.get(id) };
}

/** Keys from an environment variable: `id:base64key[,id:base64key…]`, the first one encrypts. Read once per call of this function. */
export function envKeyProvider(variable: string = KEYS_ENV, env: Record<string, string | undefined> = process.env): KeyProvider {
  const raw = env[variable];
  if (!raw) throw new Error(`${variable} is not set (expected id:base64key[,id:base64key…], 32-byte keys)`);
  const entries = raw.split(',').map((part) => {
    const at = part.indexOf(':');
    if (at <= 0) throw new Error(`${variable}: each entry is id:base64key`);
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  });
  return staticKeyProvider({ active: entries[0]![0], keys: Object.fromEntries(entries) });
}

let cachedEnvProvider: KeyProvider | undefined;
function providerOf(options: FieldOptions | undefined): KeyProvider {
  if (options?.keys) return options.keys;
  cachedEnvProvider ??= envKeyProvider();
  return cachedEnvProvider;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** Encrypts a string with the active key; the result names the key id. */
export function encryptField(value: string, options?: FieldOptions): string {
  if (typeof value !== 'string') throw new TypeError('encryptField encrypts strings (serialise other values first)');
  const provider = providerOf(options);
  const keyId = provider.activeKeyId();
  const key = provider.getKey(keyId);
  if (!key || !KEY_ID.test(keyId)) throw new Error(`no usable active encryption key '${keyId}'`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${PREFIX}.${keyId}.${options?.context ?? ''}`, 'utf8'));
  const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}.${keyId}.${b64(iv)}.${b64(sealed)}`;
}

/** The key id a token was encrypted with (undefined when it is not one of ours). */
export function keyIdOf(token: string): string | undefined {
  const parts = token.split('.');
  return parts.length === 4 && parts[0] === PREFIX && KEY_ID.test(parts[1]!) ? parts[1] : undefined;
}

/** Decrypts a token with the key it names. Throws on an unknown key id, a wrong key or any change to the token. */
export function decryptField(token: string, options?: FieldOptions): string {
  const parts = typeof token === 'string' ? token.split('.') : [];
  const keyId = keyIdOf(typeof token === 'string' ? token : '');
  if (!keyId || parts.length !== 4) throw new Error('not an encrypted field value (expected ca1.<keyId>.<iv>.<data>)');
  const key = providerOf(options).getKey(keyId);
  if (!key) throw new Error(`unknown encryption key id '${keyId}'`);
  const iv = Buffer.from(parts[2]!, 'base64url');
  const sealed = Buffer.from(parts[3]!, 'base64url');
  if (iv.length !== 12 || sealed.length < 16) throw new Error('encrypted field value is truncated');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`${PREFIX}.${keyId}.${options?.context ?? ''}`, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`encrypted field value does not authenticate with key '${keyId}' (wrong key, wrong context, or the value was changed)`);
  }
}

/** Rotation: decrypts with the key the token names and encrypts again with the active key (unchanged when it already uses it). */
export function reencryptField(token: string, options?: FieldOptions): string {
  if (keyIdOf(token) === providerOf(options).activeKeyId()) return token;
  return encryptField(decryptField(token, options), options);
}
