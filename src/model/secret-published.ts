import { createHash } from 'node:crypto';

/**
 * Private keys published as examples for everyone to copy: a test that signs with one holds no secret (anyone has the
 * key), so SOC2-002 ranks it low there. Kept as SHA-256 digests of the key's base64 body, so no key sits in our
 * source. Used outside tests such a key is worse than a leak (anyone can sign), and keeps its severity.
 */
const PUBLISHED_KEY_DIGESTS: ReadonlyMap<string, string> = new Map([
  // jwt.io's RS256 sample key (`MIIEogIBAAKCAQEAnzyis1Zj…`, public key `…Anzyis1Zj…IDAQAB`), copied into test suites
  // of many JWT libraries and of saleor (plugins/openid_connect/tests/conftest.py).
  ['aae2ff2373f7cc83caa8c1c8cc3689327578275f2463584eb9019b1374ba91d0', "jwt.io's RS256 sample key"],
]);

const PEM_BODY = /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----([\s\S]*?)-----END /;

/** The base64 body of a PEM private key as written in any source: escaped line breaks, quotes and indentation dropped. */
export function pemBody(pem: string): string | null {
  const m = PEM_BODY.exec(pem);
  return m ? m[1]!.replace(/\\[nr]/g, '').replace(/[^A-Za-z0-9+/=]/g, '') : null;
}

/** Where a PEM private key was published as an example (`jwt.io's RS256 sample key`), or null. */
export function publishedPrivateKey(pem: string): string | null {
  const body = pemBody(pem);
  return body ? (PUBLISHED_KEY_DIGESTS.get(createHash('sha256').update(body).digest('hex')) ?? null) : null;
}
