/**
 * Which names hold secrets (SOC2-002): `db_password`, `API_KEY`, `PGPASSWORD`, `ConnectionStrings:Default` do;
 * `password_hash`, `public_key`, `LABEL_PASSWORD` do not. Pure data and pure functions, with the samples the
 * tests iterate over.
 */
import { memoizeByString } from './memo.js';

export type SecretNameKind = 'password' | 'secret' | 'token' | 'api-key' | 'private-key' | 'credential' | 'connection-string';

/** Nouns that name a secret when they are the head (last word) of a name. */
export const SECRET_NOUNS: ReadonlyMap<string, SecretNameKind> = new Map<string, SecretNameKind>([
  ...['password', 'passwords', 'passwd', 'pwd', 'pw', 'pass', 'passphrase'].map((w) => [w, 'password'] as const),
  ...['secret', 'secrets'].map((w) => [w, 'secret'] as const),
  ...['token', 'tokens', 'bearer', 'jwt'].map((w) => [w, 'token'] as const),
  ...['auth', 'authorization', 'credential', 'credentials', 'creds', 'cred'].map((w) => [w, 'credential'] as const),
  ['dsn', 'connection-string'],
]);

/** `<modifier>_key`: which keys are secrets (`primary_key`, `public_key`, `key_id` are not). */
const KEY_MODIFIERS = new Map<string, SecretNameKind>([
  ...['api', 'access'].map((w) => [w, 'api-key'] as const),
  ...['private', 'priv', 'ssh'].map((w) => [w, 'private-key'] as const),
  ...['secret', 'signing', 'encryption', 'master', 'hmac', 'jwt', 'aes', 'cipher', 'crypto', 'admin', 'auth', 'shared'].map((w) => [w, 'secret'] as const),
]);

/** `<modifier>_url` / `_uri` that holds a database or broker connection string. */
const CONNECTION_URL_MODIFIERS = new Set([
  'database',
  'db',
  'mongo',
  'mongodb',
  'postgres',
  'postgresql',
  'pg',
  'mysql',
  'mariadb',
  'mssql',
  'sql',
  'redis',
  'amqp',
  'rabbitmq',
  'broker',
  'jdbc',
]);

/** Words before the head that make the name about a secret rather than holding one. */
const NEGATIVE_MODIFIERS = new Set([
  ...['is', 'has', 'use', 'uses', 'should', 'allow', 'allowed', 'require', 'requires', 'required', 'no'],
  ...['enable', 'enabled', 'disable', 'disabled', 'show', 'hide', 'toggle', 'forgot', 'forget', 'reset'],
  ...['min', 'max', 'num', 'count', 'validate', 'check', 'verify', 'hashed', 'encrypted'],
  ...['public', 'publishable', 'csrf', 'xsrf', 'page', 'cursor'],
  // UI text keys (i18n catalogues): LABEL_PASSWORD, MANDATORY_PASSWORD, INVALID_TWO_FACTOR_AUTH_TOKEN
  ...[
    'label',
    'title',
    'mandatory',
    'placeholder',
    'hint',
    'msg',
    'message',
    'error',
    'text',
    'tooltip',
    'heading',
    'button',
    'prompt',
    'invalid',
    'remove',
    'lbl',
  ],
]);

/** Trailing words that keep the head: `password_confirmation` still holds a password. */
const TRANSPARENT_SUFFIXES = new Set(['confirmation', 'confirm', 'again', 'repeat', 'value', 'plain', 'plaintext', 'raw', 'base64', 'b64']);

/** Single words written without a separator (`APIKEY`, `privatekey`, `PGPASSWORD`): split at a known tail. */
export const COMPOUND_TAILS: ReadonlyArray<[string, string[]]> = [
  ['connectionstring', ['connection', 'string']],
  ['passphrase', ['passphrase']],
  ['passwords', ['passwords']],
  ['password', ['password']],
  ['passwd', ['passwd']],
  ['privatekey', ['private', 'key']],
  ['secretkey', ['secret', 'key']],
  ['accesskey', ['access', 'key']],
  ['signingkey', ['signing', 'key']],
  ['accesstoken', ['access', 'token']],
  ['refreshtoken', ['refresh', 'token']],
  ['authtoken', ['auth', 'token']],
  ['apikey', ['api', 'key']],
  ['credentials', ['credentials']],
  ['secret', ['secret']],
  ['token', ['token']],
];

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ') // `([A-Z]+)([A-Z][a-z])` rescanned every capital run: quadratic
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase().replace(/(?<!\d)\d+$/, '')) // from the start of a digit run only: linear
    .filter((w) => w !== '')
    .flatMap((w) => {
      if (SECRET_NOUNS.has(w)) return [w];
      const tail = COMPOUND_TAILS.find(([t]) => w.endsWith(t));
      return tail ? [...(w === tail[0] ? [] : [w.slice(0, -tail[0].length)]), ...tail[1]] : [w];
    });
}

/** Package names that contain a secret word (`jsonwebtoken` in package.json dependencies). */
const LIBRARY_NAMES = new Set([
  'jsonwebtoken',
  'jwt-decode',
  'express-jwt',
  'passport-jwt',
  'passport-local',
  'koa-jwt',
  'pyjwt',
  'python-jose',
  'djangorestframework-simplejwt',
  'flask-jwt-extended',
  '@nestjs/jwt',
  '@fastify/jwt',
  'keytar',
  'bcrypt',
  'passlib',
]);

/**
 * The kind of secret a name holds, or null. Names are compound nouns, so the last word decides (`password_hash`
 * is a hash, `db.password` a password); dotted paths and every case style are read as one word list.
 */
export function classifySecretName(name: string): SecretNameKind | null {
  return classifyRemembered(name);
}

/**
 * A pure function of the name, asked for every binding, key and parameter of every file: the same few thousand names
 * repeat across a codebase (saleor's warm scan spent 0.17 s splitting them again), so it is remembered.
 */
const classifyRemembered = memoizeByString(classifyUncached);

function classifyUncached(name: string): SecretNameKind | null {
  if (LIBRARY_NAMES.has(name.toLowerCase())) return null;
  const words = nameWords(name);
  while (words.length > 1 && TRANSPARENT_SUFFIXES.has(words.at(-1) ?? '') && SECRET_NOUNS.has(words.at(-2) ?? '')) words.pop();
  const head = words.at(-1);
  if (head === undefined) return null;
  const before = words.slice(0, -1);
  const prev = before.at(-1) ?? '';
  if (before.some((w) => NEGATIVE_MODIFIERS.has(w))) return null;
  if (words.join('_').includes('connection_strings_')) return 'connection-string'; // ConnectionStrings:Default
  if (words.join('_').endsWith('secret_key_base')) return 'secret'; // Rails
  const noun = SECRET_NOUNS.get(head);
  if (noun) return noun;
  // `SECRET_COOKIE_KEY`, `secret_session_key`: a key named secret anywhere before its head is one.
  if (head === 'key') return before.includes('secret') ? 'secret' : (KEY_MODIFIERS.get(prev) ?? null);
  if ((head === 'url' || head === 'uri') && CONNECTION_URL_MODIFIERS.has(prev)) return 'connection-string';
  if ((head === 'string' || head === 'str') && (prev === 'connection' || prev === 'conn')) return 'connection-string';
  return null;
}

export const SECRET_NAME_SAMPLES: { match: Array<[string, SecretNameKind]>; noMatch: string[] } = {
  match: [
    ['password', 'password'],
    ['PASSWORD', 'password'],
    ['passwd', 'password'],
    ['pwd', 'password'],
    ['db_pass', 'password'],
    ['DB_PASSWORD', 'password'],
    ['userPassword', 'password'],
    ['MYSQL_ROOT_PASSWORD', 'password'],
    ['PGPASSWORD', 'password'],
    ['db.password', 'password'],
    ['password2', 'password'],
    ['password_confirmation', 'password'],
    ['new_password', 'password'],
    ['passphrase', 'password'],
    ['smtp-pass', 'password'],
    ['secret', 'secret'],
    ['SECRET_COOKIE_KEY', 'secret'],
    ['adminKey', 'secret'],
    ['AUTH_KEY', 'secret'],
    ['client_secret', 'secret'],
    ['clientSecret', 'secret'],
    ['secret_key', 'secret'],
    ['SECRET_KEY', 'secret'],
    ['app.config["SECRET_KEY"]', 'secret'],
    ['jwt_secret', 'secret'],
    ['session_secret', 'secret'],
    ['webhook.secret', 'secret'],
    ['AWS_SECRET_ACCESS_KEY', 'secret'],
    ['oauth_token_secret', 'secret'],
    ['secret_key_base', 'secret'],
    ['hmac_secret', 'secret'],
    ['cookie_secret', 'secret'],
    ['signing_key', 'secret'],
    ['encryption_key', 'secret'],
    ['master_key', 'secret'],
    ['hmacKey', 'secret'],
    ['token', 'token'],
    ['access_token', 'token'],
    ['accessToken', 'token'],
    ['refresh_token', 'token'],
    ['auth_token', 'token'],
    ['GITHUB_TOKEN', 'token'],
    ['x-auth-token', 'token'],
    ['bearer', 'token'],
    ['bearerToken', 'token'],
    ['id_token', 'token'],
    ['api_key', 'api-key'],
    ['apikey', 'api-key'],
    ['APIKEY', 'api-key'],
    ['apiKey', 'api-key'],
    ['APIKey', 'api-key'],
    ['api-key', 'api-key'],
    ['x-api-key', 'api-key'],
    ['X-API-KEY', 'api-key'],
    ['stripe.apiKey', 'api-key'],
    ['access_key', 'api-key'],
    ['private_key', 'private-key'],
    ['privatekey', 'private-key'],
    ['privateKey', 'private-key'],
    ['ssh_key', 'private-key'],
    ['auth', 'credential'],
    ['basic_auth', 'credential'],
    ['credential', 'credential'],
    ['credentials', 'credential'],
    ['db.creds', 'credential'],
    ['headers.Authorization', 'credential'],
    ['proxy-authorization', 'credential'],
    ['dsn', 'connection-string'],
    ['SENTRY_DSN', 'connection-string'],
    ['database_url', 'connection-string'],
    ['DATABASE_URL', 'connection-string'],
    ['dbUrl', 'connection-string'],
    ['MONGODB_URI', 'connection-string'],
    ['REDIS_URL', 'connection-string'],
    ['SQLALCHEMY_DATABASE_URI', 'connection-string'],
    ['celery.broker_url', 'connection-string'],
    ['connection_string', 'connection-string'],
    ['connectionString', 'connection-string'],
    ['conn_str', 'connection-string'],
    ['ConnectionStrings:DefaultConnection', 'connection-string'],
  ],
  noMatch: [
    'LABEL_PASSWORD',
    'MANDATORY_PASSWORD_REPEAT',
    'INVALID_TWO_FACTOR_AUTH_TOKEN',
    'passwordPlaceholder',
    'TITLE_CHANGE_PASSWORD',
    'error_token',
    'jsonwebtoken',
    'passport-jwt',
    '@nestjs/jwt',
    'flask-jwt-extended',
    'passenger',
    'compass',
    'bypass',
    'password_field',
    'password_label',
    'passwordHint',
    'password_reset_url',
    'PASSWORD_MIN_LENGTH',
    'password_hash',
    'hashed_password',
    'passwordConfirmationMessage',
    'forgot_password',
    'show_password',
    'password_policy',
    'passwordless',
    'PASSWORD_SALT',
    'token_type',
    'tokenizer',
    'token_url',
    'TOKEN_EXPIRY',
    'token_length',
    'max_tokens',
    'next_page_token',
    'csrf_token',
    'csrf_token_name',
    'csrftoken',
    'secret_name',
    'secretArn',
    'secret_id',
    'is_secret',
    'secretary',
    'author',
    'authority',
    'oauth_url',
    'auth_url',
    'auth_type',
    'no_auth',
    'key',
    'keyboard',
    'monkey',
    'primary_key',
    'public_key',
    'publicKey',
    'key_id',
    'private_key_id',
    'access_key_id',
    'publishable_key',
    'api_key_header',
    'apiKeyName',
    'credentials_file',
    'username',
    'client_id',
    'url',
    'api_url',
  ],
};

/**
 * Credential names that belong to one provider, with the shape that provider issues (issue 15). A value under such a
 * name that cannot have that shape (`AWS_SECRET_ACCESS_KEY = "polar123456789"`: AWS secret access keys are 40
 * characters of base64) is no leaked provider key; it can only open a local stand-in (MinIO, LocalStack, stripe-mock).
 */
const PROVIDER_CREDENTIAL_NAMES: ReadonlyArray<{ provider: string; name: RegExp; format: RegExp }> = [
  { provider: 'AWS', name: /^(?:.*_)?aws_?secret_?access_?key$/i, format: /^[A-Za-z0-9/+]{40}$/ },
  { provider: 'Stripe', name: /^(?:.*_)?stripe_?(?:secret|api)_?key$/i, format: /^(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}$/ },
];

/** The provider whose credential `name` holds when `value` cannot be one of its credentials, or null. */
export function providerFormatMismatch(name: string, value: string): string | null {
  const entry = PROVIDER_CREDENTIAL_NAMES.find((p) => p.name.test(name));
  return entry && !entry.format.test(value.trim()) ? entry.provider : null;
}

export const PROVIDER_MISMATCH_SAMPLES: { mismatch: Array<[string, string, string]>; noMismatch: Array<[string, string]> } = {
  mismatch: [
    ['AWS_SECRET_ACCESS_KEY', 'polar123456789', 'AWS'],
    ['aws_secret_access_key', 'minioadmin', 'AWS'],
    ['WORKER_AWS_SECRET_ACCESS_KEY', 'test', 'AWS'],
    ['awsSecretAccessKey', 'localstack-secret', 'AWS'],
    ['STRIPE_SECRET_KEY', 'sk_test_123', 'Stripe'],
    ['STRIPE_API_KEY', 'stripe-mock-key', 'Stripe'],
  ],
  noMismatch: [
    // A key of AWS's shape keeps its severity (built here so the project's own scan sees no key-shaped literal).
    ['AWS_SECRET_ACCESS_KEY', ['Qm9vbGVhbnMgYXJlIG5vdCBrZXlz', 'Q2hhcmFjdGV'].join('/')],
    ['STRIPE_SECRET_KEY', ['sk', 'live', 'Zk3q9XvT2mLp8RwA4sYd'].join('_')],
    ['SECRET_KEY', 'polar123456789'],
    ['AWS_ACCESS_KEY_ID', 'polar-development'],
    ['DB_PASSWORD', 'polarpolar'],
  ],
};

/**
 * The user-name names that pair with a password name (`MINIO_PWD` ↔ `MINIO_USER`, `db_password` ↔ `db_username`):
 * the same prefix, the head swapped for a user word. Empty for a name without a password head.
 */
export function userNameCompanions(name: string): string[] {
  const m = /^(.*?)(pwd|passwd|password|pass|pw)$/i.exec(name);
  if (!m || classifySecretName(name) !== 'password') return [];
  const prefix = m[1] ?? '';
  const head = m[2] ?? '';
  const style = (w: string) => (head === head.toUpperCase() ? w.toUpperCase() : /^[A-Z]/.test(head) ? w[0]!.toUpperCase() + w.slice(1) : w);
  return ['user', 'username', 'user_name', 'userName', 'login'].map((w) => prefix + style(w));
}

/** A password made of its user name (`polar`/`polarpolar`, `postgres`/`postgres`): a local default, like `postgres://saleor:saleor@`. */
export function isUserNamePassword(password: string, user: string): boolean {
  const p = password.trim().toLowerCase();
  const u = user.trim().toLowerCase();
  return u.length > 0 && p.length > 0 && p.length % u.length === 0 && u.repeat(p.length / u.length) === p;
}

export const USER_NAME_PASSWORD_SAMPLES: { companions: Array<[string, string]>; pairs: Array<[string, string, boolean]> } = {
  companions: [
    ['MINIO_PWD', 'MINIO_USER'],
    ['DB_PASSWORD', 'DB_USERNAME'],
    ['db_pass', 'db_user'],
    ['rabbitPassword', 'rabbitUser'],
  ],
  pairs: [
    ['polarpolar', 'polar', true],
    ['postgres', 'postgres', true],
    ['Admin', 'admin', true],
    ['SuperSecret', 'admin', false],
    ['polar123', 'polar', false],
    ['', '', false],
  ],
};

/**
 * Why a named credential is a local default rather than a leaked secret, as the message's note, or null (issue 15):
 * a provider's credential name holding a value that cannot be that provider's (`AWS_SECRET_ACCESS_KEY =
 * "polar123456789"` opens only MinIO or LocalStack), or a password fallback made of its user name fallback
 * (`MINIO_USER = "polar"`, `MINIO_PWD = "polarpolar"`), like `postgres://saleor:saleor@`. `siblings` are the file's bindings.
 */
export function localCredentialNote(
  b: { name: string; value: string; kind: string },
  siblings: ReadonlyArray<{ name: string; value: string; kind: string }>,
): string | null {
  const provider = providerFormatMismatch(b.name, b.value);
  if (provider) return ` (not in ${provider}'s key format: a credential for a local stand-in service)`;
  if (b.kind !== 'env-fallback') return null;
  const users = userNameCompanions(b.name);
  if (users.length === 0) return null;
  return siblings.some((o) => o.kind === 'env-fallback' && users.includes(o.name) && isUserNamePassword(b.value, o.value))
    ? ' (made of its user name: a local default)'
    : null;
}
