import { nameWords } from './sensitive-data.js';

/**
 * Cryptography knowledge for SOC2-005, as data: fast digests, password-hashing functions, weak ciphers and modes,
 * encryption markers on model fields, loggers, insecure random sources and the names that make a random value a
 * secret. Each table carries samples that must and must not match (test/model/crypto.test.ts).
 */

export interface Samples {
  match: string[];
  noMatch: string[];
}

/** Lower-case with `-`/`_` removed: `SHA-256` → `sha256`, `des-ede3-cbc` → `desede3cbc`. */
export function normalizeAlgorithm(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** Fast, general-purpose digests: fine for integrity, wrong for passwords (no work factor). */
export const FAST_HASH =
  /^(md[245]|sha|sha1|sha224|sha256|sha384|sha512(224|256)?|sha3(224|256|384|512)?|ripemd(128|160|256|320)?|rmd160|blake2[bs]?(512|256)?|whirlpool|sm3|shake(128|256)|crc32|xxhash\w*)$/;
export const FAST_HASH_SAMPLES: Samples = {
  match: ['md5', 'MD5', 'sha1', 'SHA-1', 'sha256', 'sha512', 'sha3-256', 'ripemd160', 'blake2b'],
  noMatch: ['bcrypt', 'argon2id', 'scrypt', 'pbkdf2', 'hmac', 'aes-256-gcm'],
};

export function isFastHash(algorithm: string): boolean {
  return FAST_HASH.test(normalizeAlgorithm(algorithm));
}

/**
 * Callees that are themselves a digest of their first argument: `md5(x)`, `sha1(x)`, `CryptoJS.SHA256(x)`,
 * `hashlib.sha256(x)`, `hashlib.md5(x)`. Returns the algorithm.
 */
const DIGEST_CALLEE =
  /^(?:(?:CryptoJS|cryptojs|crypto_js|hashlib|Digest|jsSHA|sha|md5|js-sha\d+)\.)?(md5|md4|sha1|sha224|sha256|sha384|sha512|sha3_(?:224|256|384|512)|SHA1|SHA224|SHA256|SHA384|SHA512|SHA3|MD5|RIPEMD160|ripemd160|blake2b|blake2s)$/;
export const DIGEST_CALLEE_SAMPLES: Samples = {
  match: ['md5', 'sha1', 'CryptoJS.MD5', 'CryptoJS.SHA256', 'hashlib.md5', 'hashlib.sha256', 'hashlib.sha3_256', 'hashlib.blake2b'],
  noMatch: ['bcrypt.hash', 'crypto.createHash', 'hashlib.pbkdf2_hmac', 'hashlib.scrypt', 'user.md5sum', 'md5File'],
};

export function digestOfCallee(callee: string): string | null {
  const m = DIGEST_CALLEE.exec(callee);
  return m ? normalizeAlgorithm(m[1]!) : null;
}

/** Password hashing with a work factor and salt (and app helpers named for it). */
const PASSWORD_HASH_CALLEE =
  /(?:^|\.)(?:(?:bcrypt|bCrypt|BCrypt|Bcrypt|bcryptjs|bcrypt_sha256|argon2|argon2id|scrypt|pbkdf2_sha256|sha512_crypt|pwd_context|password_context|pwd_ctx|crypt_context|ph|hasher|password_hasher|flask_bcrypt|bcrypt_ctx)\.(?:hash|hashSync|hash_password|encrypt|genSalt|hashpw|generate_password_hash|using)|hashpw|make_password|set_password|generate_password_hash|scrypt|scryptSync|pbkdf2|pbkdf2Sync|pbkdf2_hmac|hash_password|hashPassword|hash_pw|encryptPassword|encrypt_password|setPassword|create_user|create_superuser|createUser)$/;
export const PASSWORD_HASH_SAMPLES: Samples = {
  match: [
    'bcrypt.hash',
    'bcrypt.hashSync',
    'bCrypt.hashSync',
    'bcryptjs.hash',
    'argon2.hash',
    'crypto.scrypt',
    'crypto.pbkdf2Sync',
    'hashlib.pbkdf2_hmac',
    'hashlib.scrypt',
    'make_password',
    'user.set_password',
    'generate_password_hash',
    'bcrypt.hashpw',
    'pwd_context.hash',
    'ph.hash',
    'User.objects.create_user',
    'hashPassword',
    'bcrypt.generate_password_hash',
    'user.setPassword',
  ],
  noMatch: ['crypto.createHash', 'hashlib.md5', 'md5', 'bcrypt.compare', 'check_password', 'User.objects.create', 'hash', 'user.save'],
};

export function isPasswordHashCallee(callee: string): boolean {
  return PASSWORD_HASH_CALLEE.test(callee);
}

/** Broken or 64-bit-block ciphers (DES, 3DES, RC4, RC2, Blowfish, IDEA, CAST5). */
const WEAK_CIPHER =
  /^(des|desede|desede3|3des|tripledes|des3|rc2|rc4|arc2|arc4|arcfour|bf|blowfish|idea|cast|cast5|cast128|seed)(cbc|ecb|cfb|cfb1|cfb8|ofb|ede|ede3|40|64|128)*$/;
export const WEAK_CIPHER_SAMPLES: Samples = {
  match: ['des', 'des-cbc', 'des-ede3-cbc', 'DES3', 'TripleDES', 'rc4', 'ARC4', 'bf-cbc', 'Blowfish', 'rc2-40-cbc', 'idea'],
  noMatch: ['aes-256-gcm', 'aes-128-cbc', 'chacha20-poly1305', 'AES', 'ChaCha20', 'design', 'desk'],
};

export function isWeakCipher(algorithm: string): boolean {
  return WEAK_CIPHER.test(normalizeAlgorithm(algorithm));
}

/** Electronic code book: identical plaintext blocks give identical ciphertext blocks. */
export function isEcb(algorithm: string | undefined, mode: string | undefined): boolean {
  if (mode && normalizeAlgorithm(mode).endsWith('ecb')) return true;
  return algorithm !== undefined && /(^|-)ecb$/i.test(algorithm);
}

/**
 * Text of a model field declaration that shows the field is encrypted: sqlalchemy-utils `EncryptedType` /
 * `StringEncryptedType`, django encrypted field packages (`EncryptedCharField`, `encrypt(models.X())`), the
 * SDK's `encrypt_field(...)`, TypeORM transformers that encrypt, Sequelize setters calling encrypt(),
 * Mongoose CSFLE `encrypt: { keyId }`.
 */
const ENCRYPTION_MARKER = /encrypt|Encrypted|Fernet|\bcipher|AesEngine|AesGcmEngine|Cryptograph|KmsField|vault\(/i;
export const ENCRYPTION_MARKER_SAMPLES: Samples = {
  match: [
    'Column(encrypt_field(String))',
    'Column(StringEncryptedType(String, key, AesEngine))',
    'EncryptedCharField(max_length=11)',
    'encrypt(models.CharField(max_length=11))',
    '@Column({ transformer: new EncryptionTransformer({ key }) })',
    'set(value) { this.setDataValue("ssn", encrypt(value)) }',
    'fernet_fields.EncryptedTextField()',
    '{ type: String, encrypt: { keyId: [dataKey] } }',
  ],
  noMatch: ['Column(String(11))', 'models.CharField(max_length=11)', "@Column({ type: 'varchar' })", '{ type: String, required: true }', 'DataTypes.STRING'],
};

export function declaresEncryption(text: string): boolean {
  return ENCRYPTION_MARKER.test(text);
}

/** Calls whose result is ciphertext: application-level encryption before the value is stored. */
const ENCRYPT_CALLEE = /(?:^|\.)(?:encrypt\w*|seal|encrypt_field|fernet\.encrypt|f\.encrypt|kms\.encrypt|box)$/i;
export const ENCRYPT_CALLEE_SAMPLES: Samples = {
  match: ['encrypt', 'crypto.encrypt', 'encryptField', 'fernet.encrypt', 'kms.encrypt', 'encrypt_field', 'encryptSsn'],
  noMatch: ['decrypt', 'hash', 'bcrypt.hash', 'JSON.stringify', 'encode'],
};

export function isEncryptCallee(callee: string): boolean {
  return ENCRYPT_CALLEE.test(callee) && !/decrypt/i.test(callee);
}

/** Logger calls in both languages (`console.log`, `logger.info`, `logging.warning`, `app.logger.error`, `print`). */
const LOGGER_CALLEE =
  /^(?:console\.(?:log|info|warn|error|debug|trace)|(?:(?:this|self|app|current_app|req|request|ctx|fastify|server)\.)?(?:logger|log|logging|winston|pino|bunyan|_logger|LOGGER|LOG|_log)\.(?:log|info|warn|warning|error|debug|trace|fatal|critical|exception|verbose|silly)|print)$/;
export const LOGGER_SAMPLES: Samples = {
  match: [
    'console.log',
    'console.error',
    'logger.info',
    'this.logger.warn',
    'logging.warning',
    'app.logger.error',
    'current_app.logger.info',
    'log.debug',
    'print',
    'req.log.info',
  ],
  noMatch: ['res.send', 'Math.log', 'logger.child', 'console.table', 'logging.getLogger', 'printf', 'history.log_entry'],
};

export function isLoggerCallee(callee: string): boolean {
  return LOGGER_CALLEE.test(callee);
}

/**
 * Calls returning the working directory (`os.getcwd()`, `process.cwd()`, `Path.cwd()`): a name bound to one is a
 * path, whatever it is called (`pwd = os.getcwd(); print(pwd)` logs no password).
 */
const WORKING_DIRECTORY_CALLEE = /^(?:(?:os|process|Path|pathlib\.Path|node:process)\.)?(?:getcwdb?|cwd)$/;
export const WORKING_DIRECTORY_SAMPLES: Samples = {
  match: ['os.getcwd', 'os.getcwdb', 'process.cwd', 'Path.cwd', 'pathlib.Path.cwd', 'getcwd'],
  noMatch: ['getpass.getpass', 'get_password', 'os.getenv', 'cwd.join', 'process.env', 'shell.pwd'],
};

export function isWorkingDirectoryCallee(callee: string): boolean {
  return WORKING_DIRECTORY_CALLEE.test(callee);
}

/** Random sources that are not cryptographically secure. */
const INSECURE_RANDOM =
  /^(?:Math\.random|random\.(?:random|randint|randrange|choice|choices|sample|getrandbits|uniform|shuffle)|_\.random|lodash\.random|faker\.\w+)$/;
export const INSECURE_RANDOM_SAMPLES: Samples = {
  match: ['Math.random', 'random.random', 'random.randint', 'random.choice', 'random.choices', 'random.getrandbits', '_.random'],
  noMatch: ['crypto.randomBytes', 'crypto.randomUUID', 'secrets.token_hex', 'secrets.choice', 'os.urandom', 'SystemRandom.choice', 'np.random.rand'],
};

export function isInsecureRandomCallee(callee: string): boolean {
  return INSECURE_RANDOM.test(callee);
}

/** Names that make a generated value a secret: keys, tokens, salts, IVs, OTPs, reset codes, session ids. */
const SECRET_WORDS = new Set([
  'token',
  'tokens',
  'secret',
  'salt',
  'iv',
  'nonce',
  'otp',
  'totp',
  'password',
  'passwd',
  'pwd',
  'csrf',
  'xsrf',
  'sid',
  'apikey',
  'passcode',
  'pin',
]);
const KEY_QUALIFIERS = new Set(['api', 'secret', 'private', 'encryption', 'signing', 'session', 'access', 'aes', 'crypto', 'hmac', 'jwt', 'auth']);
const CODE_QUALIFIERS = new Set([
  'verification',
  'verify',
  'reset',
  'otp',
  'auth',
  'activation',
  'confirmation',
  'invite',
  'mfa',
  'login',
  'recovery',
  'security',
]);
export const SECRET_TARGET_SAMPLES: Samples = {
  match: [
    'token',
    'resetToken',
    'generateToken',
    'api_key',
    'apiKey',
    'secretKey',
    'salt',
    'iv',
    'otp',
    'generate_otp',
    'verificationCode',
    'sessionId',
    'session_key',
    'tempPassword',
    'key',
  ],
  noMatch: [
    'randomColor',
    'delay',
    'jitter',
    'cacheKey',
    'index',
    'shuffleDeck',
    'sampleRate',
    'tokenCount',
    'keyboard',
    'primaryKey',
    'code',
    'tokens',
    'max_tokens',
  ],
};

export function isSecretTargetName(name: string): boolean {
  const words = nameWords(name);
  if (words.some((x) => x === 'count' || x === 'length' || x === 'size' || x === 'index')) return false;
  // `{"tokens": random.randint(1, 1000)}`, `max_tokens`: a number of LLM tokens, not a secret one.
  if (words[words.length - 1] === 'tokens' && (words.length === 1 || /^(max|input|output|prompt|completion|total|num|used)$/.test(words[0]!))) return false;
  if (words.some((x) => SECRET_WORDS.has(x))) return true;
  if (words.includes('apikey')) return true;
  if (words.includes('key')) return words.length === 1 || words.some((x) => KEY_QUALIFIERS.has(x)) || words[0] === 'generate';
  if (words.includes('code')) return words.some((x) => CODE_QUALIFIERS.has(x));
  if (words.includes('id')) return words.includes('session');
  return false;
}
