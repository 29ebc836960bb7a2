/**
 * Which names hold secrets (SOC2-002): `db_password`, `API_KEY`, `PGPASSWORD`, `ConnectionStrings:Default` do;
 * `password_hash`, `public_key`, `LABEL_PASSWORD` do not. Pure data and pure functions, with the samples the
 * tests iterate over.
 */

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
