/**
 * Known APIs that take a secret as a positional argument, so `jwt.sign(payload, 'k3y')` is a bound secret even
 * without a telling variable name. `callee` matches the last segment of the called name; `receiver`, when set,
 * must match the segment before it (so `jwt.sign` counts and `docusign.sign` does not).
 */
export interface SecretArgument {
  callee: string;
  receiver?: RegExp;
  index: number;
  /** The name the binding gets; chosen so the secret-name table classifies it. */
  name: string;
  languages: ReadonlyArray<'javascript' | 'python'>;
}

export const SECRET_ARGUMENTS: readonly SecretArgument[] = [
  // Any receiver naming the library, so aliased imports count too (`const jwtLib = require('jsonwebtoken')`).
  { callee: 'sign', receiver: /jwt|jsonwebtoken|jws/i, index: 1, name: 'jwt_secret', languages: ['javascript'] },
  { callee: 'verify', receiver: /jwt|jsonwebtoken|jws/i, index: 1, name: 'jwt_secret', languages: ['javascript'] },
  { callee: 'asKey', receiver: /^JWK$/, index: 0, name: 'jwt_secret', languages: ['javascript'] }, // jose 1.x: JWK.asKey('secret')
  { callee: 'createCipheriv', index: 1, name: 'encryption_key', languages: ['javascript'] },
  { callee: 'createDecipheriv', index: 1, name: 'encryption_key', languages: ['javascript'] },
  { callee: 'createHmac', index: 1, name: 'hmac_secret', languages: ['javascript'] },
  { callee: 'cookieParser', index: 0, name: 'cookie_secret', languages: ['javascript'] },
  { callee: 'encrypt', receiver: /^(AES|DES|TripleDES|Rabbit|RC4)$/, index: 1, name: 'encryption_key', languages: ['javascript'] },
  { callee: 'decrypt', receiver: /^(AES|DES|TripleDES|Rabbit|RC4)$/, index: 1, name: 'encryption_key', languages: ['javascript'] },
  { callee: 'encode', receiver: /^(jwt|jose)$/i, index: 1, name: 'jwt_secret', languages: ['python'] },
  { callee: 'decode', receiver: /^(jwt|jose)$/i, index: 1, name: 'jwt_secret', languages: ['python'] },
  { callee: 'new', receiver: /^hmac$/, index: 0, name: 'hmac_secret', languages: ['python'] },
  { callee: 'Fernet', index: 0, name: 'encryption_key', languages: ['python'] },
  { callee: 'new', receiver: /^(AES|DES3?|ChaCha20|Blowfish)$/, index: 0, name: 'encryption_key', languages: ['python'] },
  { callee: 'URLSafeTimedSerializer', index: 0, name: 'secret_key', languages: ['python'] },
  { callee: 'URLSafeSerializer', index: 0, name: 'secret_key', languages: ['python'] },
  { callee: 'TimestampSigner', index: 0, name: 'secret_key', languages: ['python'] },
  // Django's UserManager: create_user(username, email=None, password=None), create_superuser(username, email, password).
  { callee: 'create_user', receiver: /^objects$/, index: 2, name: 'password', languages: ['python'] },
  { callee: 'create_superuser', receiver: /^objects$/, index: 2, name: 'password', languages: ['python'] },
];

/** Finds the table entry for a call written as `a.b.callee(...)` (`parts` = ['a','b','callee']). */
export function secretArgumentFor(parts: readonly string[], language: 'javascript' | 'python'): SecretArgument[] {
  const callee = parts[parts.length - 1];
  const receiver = parts[parts.length - 2];
  return SECRET_ARGUMENTS.filter(
    (a) => a.languages.includes(language) && a.callee === callee && (!a.receiver || (receiver !== undefined && a.receiver.test(receiver))),
  );
}

/** Samples for the table test: [called name, argument index] that must or must not be a secret argument. */
export const SECRET_ARGUMENT_SAMPLES = {
  match: [
    ['jwt.sign', 1, 'javascript'],
    ['jsonwebtoken.verify', 1, 'javascript'],
    ['jwtLib.sign', 1, 'javascript'],
    ['jose.JWK.asKey', 0, 'javascript'],
    ['crypto.createCipheriv', 1, 'javascript'],
    ['AES.new', 0, 'python'],
    ['URLSafeTimedSerializer', 0, 'python'],
    ['crypto.createHmac', 1, 'javascript'],
    ['createHmac', 1, 'javascript'],
    ['cookieParser', 0, 'javascript'],
    ['CryptoJS.AES.encrypt', 1, 'javascript'],
    ['jwt.encode', 1, 'python'],
    ['hmac.new', 0, 'python'],
    ['Fernet', 0, 'python'],
    ['User.objects.create_user', 2, 'python'],
    ['get_user_model().objects.create_superuser', 2, 'python'],
  ],
  noMatch: [
    ['docusign.sign', 1, 'javascript'],
    ['JWK.asKey', 1, 'javascript'],
    ['crypto.createCipheriv', 0, 'javascript'],
    ['hashlib.new', 0, 'python'],
    ['jwt.sign', 0, 'javascript'],
    ['crypto.createHash', 0, 'javascript'],
    ['jwt.encode', 0, 'python'],
    ['base64.encode', 1, 'python'],
    ['json.decode', 1, 'python'],
    ['jwt.sign', 1, 'python'],
    ['User.objects.create_user', 0, 'python'],
    ['User.objects.create_user', 1, 'python'],
    ['user_datastore.create_user', 2, 'python'],
  ],
} as const satisfies Record<'match' | 'noMatch', ReadonlyArray<readonly [string, number, 'javascript' | 'python']>>;
