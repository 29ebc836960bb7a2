import {
  classifySensitiveName,
  defineRule,
  isEcb,
  isFastHash,
  isPasswordName,
  isSecretTargetName,
  isWeakCipher,
  looksLikeTestPath,
  sensitiveNameOptions,
  type CryptoUse,
  type DataModel,
  type FileFacts,
  type Match,
  type Severity,
} from '../src/rule-api.js';

type MessageId =
  | 'unencryptedField'
  | 'unencryptedWrite'
  | 'fastPasswordHash'
  | 'plainPassword'
  | 'weakCipher'
  | 'ecbMode'
  | 'noIv'
  | 'staticIv'
  | 'insecureRandom'
  | 'browserStorage'
  | 'sensitiveLog';

const ORM_NAMES: Record<DataModel['orm'], string> = {
  sqlalchemy: 'SQLAlchemy model',
  django: 'Django model',
  prisma: 'Prisma model',
  typeorm: 'TypeORM entity',
  sequelize: 'Sequelize model',
  mongoose: 'Mongoose schema',
};

/** A flag, not the value: `hasDiagnosis Boolean`, `ssn_verified = models.BooleanField()`. */
const BOOLEAN_TYPE = /^(Boolean\??|bool|boolean|BOOLEAN|(models\.)?BooleanField|DataTypes\.BOOLEAN|Sequelize\.BOOLEAN|db\.Boolean|sa\.Boolean)$/;

/** Keys that hold login state or secrets: `jwt`, `authToken`, `bearer`, `id_token`, `apiKey` (not `sessionKey`, `key`). */
const AUTH_STATE = /(^|[_.-])(jwt|bearer|auth|authorization|credentials?|token|tokens|secret|api_?key|access_?token|refresh_?token|id_?token)([_.-]|$)/;

/** Sensitive categories a logger must not receive (passwords are checked separately). */
const LOG_CATEGORIES = new Set(['card-number', 'card-cvv', 'ssn', 'bank-account']);

/** Credentials the app presents to another system (it must keep them reversible). */
const OUTBOUND_CREDENTIAL = /smtp|imap|pop3|mail|ldap|bind|proxy|ftp|sftp|db_?pass|database|upstream|remote|webhook|client_?secret|api_?pass/i;

/**
 * A date of birth is a quasi-identifier: it belongs in the data inventory, but on its own it neither unlocks an
 * account nor moves money, and column encryption is rarely the control that protects it. Reported low.
 */
const INVENTORY_ONLY: ReadonlySet<string> = new Set(['date-of-birth']);
const BILLING_FIELD = /(^|_)billing_(name|address)$|^billing(Name|Address)$|(^|[a-z])Billing(Name|Address)$/;

function lowerForTests(path: string, severity: Severity): Severity {
  return looksLikeTestPath(path) ? 'low' : severity;
}

export default defineRule<MessageId>({
  id: 'SOC2-005',
  slug: 'unencrypted-sensitive-data',
  title: 'Sensitive data stored without adequate protection',
  description:
    'Passwords, government identifiers, payment card data, bank accounts, dates of birth, medical and biometric data kept in plain text, behind fast hashes or under broken ciphers are exposed to anyone who reads a database dump, a backup, a log file or the browser. SOC 2 CC6.6 and C1.2 expect confidential information to be protected at rest with encryption and sound key handling, and passwords to be stored with a slow, salted hash.',
  remediation:
    'Hash passwords with bcrypt, argon2, scrypt or PBKDF2 (Django make_password/set_password, werkzeug generate_password_hash). Encrypt sensitive columns with a field-encryption library (sqlalchemy-utils StringEncryptedType, django encrypted fields, prisma-field-encryption, mongoose-encryption, a TypeORM encryption transformer) or encrypt before saving. Use AES-GCM with a random IV per message; generate keys and tokens with crypto.randomBytes / secrets. Keep tokens and PII out of localStorage and logs.',
  severity: 'high',
  confidence: 'medium',
  controls: ['CC6.6', 'C1.2'],
  cwe: ['CWE-311', 'CWE-312', 'CWE-916', 'CWE-327', 'CWE-532'],
  languages: ['javascript', 'typescript', 'python', 'config'],
  messages: {
    unencryptedField: '{{orm}} `{{model}}` stores {{what}} in `{{field}}` without encryption. Encrypt the field (or store only a token or the last digits).',
    unencryptedWrite:
      '{{what}} is written to the database in plain text through `{{field}}` (the same function saves it and encrypts nothing). Encrypt it before saving (or store only a token or the last digits).',
    fastPasswordHash:
      'Password hashed with {{algorithm}}, a fast digest without a work factor: cracked at billions of guesses per second, salted or not. Use bcrypt, argon2, scrypt or PBKDF2.',
    plainPassword:
      'Password from the request is stored in `{{field}}` without a password-hashing call. Hash it with bcrypt, argon2, scrypt or PBKDF2 before saving.',
    weakCipher: '{{algorithm}} is a broken or 64-bit-block cipher. Use AES-256-GCM (or ChaCha20-Poly1305).',
    ecbMode: "ECB mode encrypts equal blocks to equal ciphertext and leaks the data's structure. Use an authenticated mode such as GCM with a random IV.",
    noIv: '`{{api}}` derives the key and IV from a password with MD5 and no salt (deprecated, removed in Node 22). Use createCipheriv with a random IV.',
    staticIv:
      'The IV passed to `{{api}}` is a constant, so equal plaintexts encrypt alike (and GCM loses its guarantees). Generate a random IV per message and store it with the ciphertext.',
    insecureRandom:
      '`{{api}}` is not a cryptographic random source but produces `{{target}}`. Use crypto.randomBytes / crypto.randomUUID (Node) or the secrets module (Python).',
    browserStorage:
      '{{what}} written to {{store}} under `{{key}}`: readable by any script on the page (XSS) and kept after logout. Keep session tokens in an HttpOnly, Secure cookie and PII on the server.',
    sensitiveLog:
      '{{what}} (`{{name}}`) passed to `{{api}}`: logs are retained, shipped and read far more widely than the database. Log an identifier instead.',
  },
  *check({ files, options }) {
    const nameOptions = sensitiveNameOptions(options);
    const encryptedWrites = new Set<string>();
    let hashedByHook = false;
    /** Project methods that hash the password they receive (`UsersService.update` → bcrypt.hash(dto.password)). */
    const hashingMethods = new Set<string>();
    /** Project functions whose body is a fast digest (`hash = (data) => createHash('md5').update(data)…`): name → algorithm. */
    const fastHelpers = new Map<string, string>();
    const helperReported = new Set<string>();
    for (const f of files) {
      for (const u of f.cryptoUses ?? []) {
        if (u.kind === 'hash' && u.target && u.algorithm && isFastHash(u.algorithm) && !looksLikeTestPath(f.path)) fastHelpers.set(u.target, u.algorithm);
        if (u.kind === 'encrypted-write' && u.target) encryptedWrites.add(u.target.toLowerCase());
        if (u.kind === 'password-hash' && u.inModelHook) hashedByHook = true;
        if (u.kind === 'password-hash' && u.target && u.names.some(isPasswordName) && !looksLikeTestPath(f.path)) hashingMethods.add(u.target);
      }
    }
    for (const file of files) {
      for (const model of file.dataModels ?? []) yield* checkModel(file, model, encryptedWrites, nameOptions);
      if (!looksLikeTestPath(file.path)) {
        for (const m of checkHelperCalls(file, fastHelpers, encryptedWrites, nameOptions)) {
          // One finding per weak helper (the first password handed to it); the other calls share its fix.
          if (m.anchor?.startsWith('hash-helper:')) {
            if (helperReported.has(m.anchor)) continue;
            helperReported.add(m.anchor);
          }
          yield m;
        }
      }
      // Test code never runs against production data: its hashes, tokens and logs are fixtures.
      if (looksLikeTestPath(file.path)) continue;
      for (const use of file.cryptoUses ?? []) {
        // `user.password = password; await this.usersService.update(id, user)`, where that method hashes it: hashed all the same.
        const hashedElsewhere = use.passedTo?.some((m) => hashingMethods.has(m)) ?? false;
        const m = checkUse(file, use, hashedByHook || hashedElsewhere, nameOptions);
        if (m) yield m;
      }
    }
  },
});

/** A password handed to a project helper whose body is a fast digest: the helper is the password hash. */
function* checkHelperCalls(
  file: FileFacts,
  fastHelpers: ReadonlyMap<string, string>,
  encryptedWrites: ReadonlySet<string>,
  nameOptions: ReturnType<typeof sensitiveNameOptions>,
): Generator<Match<MessageId>> {
  for (const use of file.cryptoUses ?? []) {
    if (use.kind === 'pii-store' && use.target && !encryptedWrites.has(use.target.toLowerCase())) {
      const sensitive = classifySensitiveName(use.target, nameOptions);
      if (!sensitive) continue;
      yield {
        messageId: 'unencryptedWrite',
        data: { field: use.api, what: sensitive.title },
        path: file.path,
        range: use.range,
        anchor: `pii-store:${use.api}`,
        severity: INVENTORY_ONLY.has(sensitive.category) ? 'low' : 'high',
        confidence: 'medium',
        properties: { category: sensitive.category },
      };
      continue;
    }
    const algorithm = use.kind === 'password-call' && use.target ? fastHelpers.get(use.target) : undefined;
    if (!algorithm) continue;
    yield {
      messageId: 'fastPasswordHash',
      data: { algorithm: `${algorithm.toUpperCase()} (through ${use.api})` },
      path: file.path,
      range: use.range,
      anchor: `hash-helper:${use.api}:${algorithm}`,
      severity: 'high',
      confidence: 'medium',
    };
  }
}

function* checkModel(
  file: FileFacts,
  model: DataModel,
  encryptedWrites: Set<string>,
  nameOptions: ReturnType<typeof sensitiveNameOptions>,
): Generator<Match<MessageId>> {
  // A tax ID kept beside the billing name/address is the buyer's invoice tax ID (VAT/GST number), which the law
  // requires printed on every invoice: an inventory entry, not a secret column encryption protects.
  const invoiceTaxId = model.fields.some((f) => BILLING_FIELD.test(f.name));
  for (const field of model.fields) {
    if (field.encrypted || (field.type && BOOLEAN_TYPE.test(field.type))) continue;
    const leaf = field.name.slice(field.name.lastIndexOf('.') + 1);
    const sensitive = classifySensitiveName(field.name.replace(/\./g, '_'), nameOptions) ?? classifySensitiveName(leaf, nameOptions);
    if (!sensitive || encryptedWrites.has(leaf.toLowerCase())) continue;
    const severity: Severity = INVENTORY_ONLY.has(sensitive.category) || (sensitive.category === 'tax-id' && invoiceTaxId) ? 'low' : 'high';
    yield {
      messageId: 'unencryptedField',
      data: { orm: ORM_NAMES[model.orm], model: model.name, field: field.name, what: sensitive.title },
      path: file.path,
      range: field.range,
      anchor: `model:${model.orm}:${model.name}.${field.name}`,
      severity: lowerForTests(file.path, severity),
      confidence: 'medium',
      properties: { category: sensitive.category, orm: model.orm },
    };
  }
}

function checkUse(file: FileFacts, use: CryptoUse, hashedByHook: boolean, nameOptions: ReturnType<typeof sensitiveNameOptions>): Match<MessageId> | null {
  const base = { path: file.path, range: use.range };
  const sev = (s: Severity): Severity => lowerForTests(file.path, s);
  switch (use.kind) {
    case 'hash': {
      const password = use.names.find(isPasswordName);
      if (!use.algorithm || !isFastHash(use.algorithm) || !password) return null;
      return {
        ...base,
        messageId: 'fastPasswordHash',
        data: { algorithm: use.algorithm.toUpperCase() },
        anchor: `hash:${use.api}:${use.algorithm}:${password}`,
        severity: sev('high'),
        confidence: 'high',
      };
    }
    case 'password-store': {
      if (!use.fromRequest || use.hashedInScope || hashedByHook) return null;
      // The app must send an outbound credential (SMTP, IMAP, LDAP bind, a database or upstream API) as it is: a
      // hash would break it. It needs encryption at rest, not a password hash; this message would mislead.
      if (OUTBOUND_CREDENTIAL.test(use.target ?? '')) return null;
      return {
        ...base,
        messageId: 'plainPassword',
        data: { field: use.target ?? 'password' },
        anchor: `password-store:${use.api}`,
        severity: sev('high'),
        confidence: 'medium',
      };
    }
    case 'cipher': {
      const algorithm = use.algorithm ?? '';
      if (algorithm && isWeakCipher(algorithm)) {
        return {
          ...base,
          messageId: 'weakCipher',
          data: { algorithm: algorithm.toUpperCase() },
          anchor: `cipher:${use.api}:${algorithm}`,
          severity: sev('high'),
          confidence: 'high',
        };
      }
      if (isEcb(algorithm, use.mode)) return { ...base, messageId: 'ecbMode', anchor: `cipher:${use.api}:ecb`, severity: sev('high'), confidence: 'high' };
      if (use.iv === 'none')
        return { ...base, messageId: 'noIv', data: { api: use.api }, anchor: `cipher:${use.api}:no-iv`, severity: sev('high'), confidence: 'high' };
      if (use.iv === 'static')
        return { ...base, messageId: 'staticIv', data: { api: use.api }, anchor: `cipher:${use.api}:static-iv`, severity: sev('medium'), confidence: 'medium' };
      return null;
    }
    case 'insecure-random': {
      if (!use.target || !isSecretTargetName(use.target)) return null;
      return {
        ...base,
        messageId: 'insecureRandom',
        data: { api: use.api, target: use.target },
        anchor: `random:${use.target}`,
        severity: sev('medium'),
        confidence: 'medium',
      };
    }
    case 'storage-write': {
      const key = use.target ?? '';
      const store = use.api.includes('sessionStorage') ? 'sessionStorage' : 'localStorage';
      const what = describeStored(key, use.names, nameOptions);
      if (!what) return null;
      return {
        ...base,
        messageId: 'browserStorage',
        data: { what, store, key: key || '?' },
        anchor: `storage:${store}:${key}`,
        severity: sev('medium'),
        confidence: 'medium',
      };
    }
    case 'log': {
      const password = use.names.find(isPasswordName);
      const sensitive = password
        ? null
        : use.names.map((n) => ({ n, s: classifySensitiveName(n, nameOptions) })).find((x) => x.s && LOG_CATEGORIES.has(x.s.category));
      const name = password ?? sensitive?.n;
      if (!name) return null;
      const what = password ? 'A password' : `A ${sensitive!.s!.title}`;
      return {
        ...base,
        messageId: 'sensitiveLog',
        data: { what, name, api: use.api },
        anchor: `log:${use.api}:${name}`,
        severity: sev('medium'),
        confidence: 'medium',
      };
    }
    default:
      return null;
  }
}

/** What a browser-storage write holds, judged by its key and then by the names in its value. */
function describeStored(key: string, names: readonly string[], nameOptions: ReturnType<typeof sensitiveNameOptions>): string | null {
  for (const candidate of [key, ...names]) {
    if (!candidate) continue;
    if (isPasswordName(candidate)) return 'A password';
    if (AUTH_STATE.test(candidate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())) return 'A token or secret';
    const sensitive = classifySensitiveName(candidate, nameOptions);
    if (sensitive) return `A ${sensitive.title}`;
  }
  return null;
}
