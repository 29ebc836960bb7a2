import {
  SECRET_PATTERNS,
  classifySecretName,
  defineRule,
  findConnectionStringPassword,
  findProviderSecrets,
  localCredentialNote,
  looksLikeTestPath,
  shannonEntropy,
  whyNotSecret,
  type Confidence,
  type FileFacts,
  type Match,
  type Range,
  type SecretNameKind,
  type Severity,
  type StringBinding,
} from '../src/rule-api.js';

type MessageId = 'providerSecret' | 'testPrivateKey' | 'connectionString' | 'namedSecret' | 'consumedSecret' | 'devDefault' | 'envFallback' | 'comparison';

const KIND_WORDS: Record<SecretNameKind, string> = {
  password: 'password',
  secret: 'secret',
  token: 'token',
  'api-key': 'API key',
  'private-key': 'private key',
  credential: 'credential',
  'connection-string': 'connection string',
};

/**
 * Calls whose options or arguments are secrets by contract (`session({ secret })`, `jwt.sign(p, key)`): a value
 * there is a secret even when it looks like a phrase ('keyboard cat').
 */
const SECRET_BY_CONTRACT =
  /(^|\.)(session|cookieSession|expressSession|expressjwt|expressJwt|jwt|passport|JwtModule\.register|register|sign|verify|createHmac|cookieParser|Fernet|new|encode|decode|encrypt|decrypt)$/;

/**
 * Names a framework reads as its signing key: Flask `app.secret_key` / `SECRET_KEY`, Django `SECRET_KEY`, Rails
 * `secret_key_base`, Flask-JWT-Extended `JWT_SECRET_KEY`. Whatever is assigned there signs sessions or tokens.
 */
const FRAMEWORK_SECRET_NAME = /^(?:secret_key|SECRET_KEY|secret_key_base|SECRET_KEY_BASE|JWT_SECRET_KEY|SESSION_SECRET|COOKIE_SECRET)$/;

/** Django's generated development key: a real key, but one the project never meant to ship. */
const DJANGO_INSECURE = /^django-insecure-/;

/** Reasons that rule a value out even where a secret is consumed: it is no literal secret at all. */
const NEVER_A_VALUE = new Set(['empty', 'template', 'env-reference', 'public-key']);

/** Language sentinels compared as strings (`newPassword === 'undefined'`): a missing value, never a credential. */
const SENTINEL = /^(?:undefined|null|none|nil|nan|true|false)$/i;

/** What the message says of a value used as a secret: nothing, weak, or a placeholder. */
type Quality = 'none' | 'weak' | 'placeholder';
const QUALITY_WORDS: Record<Quality, string> = {
  none: '',
  weak: ' (a weak, guessable value)',
  placeholder: ' (a placeholder the app uses as-is)',
};

/** Values this short are not masked wherever they appear (`admin` would blank every word of the report); the finding's own range still is. */
const MASK_EVERYWHERE_MIN = 12;

const EXAMPLE_FILE = /(\.|_|-)(example|sample|template|dist|tpl)(\.[a-z]+)?$|\.example$/i;

/** CI definitions: service containers there hold throw-away credentials (`POSTGRES_PASSWORD: postgres`). */
const CI_FILE =
  /(^|\/)(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|\.travis\.ya?ml)$/i;

/**
 * Development and test environments (issue 15): dev containers, `.env.testing`-style files, compose files for
 * dev/test, configuration files named for a dev/test environment, seed scripts and seed data. Their named values and connection strings are the throw-away credentials of a
 * local database: found, ranked low like test files. A provider key there keeps its severity (a live key is live).
 */
const DEV_FILE = new RegExp(
  [
    String.raw`(^|/)\.devcontainer/`,
    String.raw`(^|/)\.[\w-]*container/`,
    String.raw`(^|/)\.env\.(?:test|testing|ci|e2e|dev|development|local)$`,
    String.raw`(^|/)(?:docker-)?compose[.-](?:dev|development|test|testing|ci|e2e|local)\.ya?ml$`,
    // A configuration file named for a development or test environment (NodeGoat's config/env/development.js, dvpwa's
    // config/dev.yaml): the values of the local setup. config/production.js and config/default.json keep their severity.
    String.raw`(^|/)(?:config|configs|conf|settings|env|envs|environments)/(?:[\w.-]+/)*(?:dev|development|test|testing|local|ci|e2e)\.(?:js|cjs|mjs|ts|json|ya?ml|toml|ini|py)$`,
    '(^|/)(?:seeds?|seeders?|seeding)/',
    String.raw`(^|/)(?:[\w-]*[_-])?seeds?(?:[_-][\w-]*)?\.[a-z]+$`,
  ].join('|'),
  'i',
);

/** A value under an `example`/`examples` key (OpenAPI, JSON Schema): documentation of the shape, not a credential in use. */
const EXAMPLE_SEGMENT = /(?:^|\.)(?:x-)?examples?(?:\.|\[|$)/i;

/** Calls whose `example`/`examples` keyword documents a field (pydantic, FastAPI, SQLModel, marshmallow metadata). */
const DOCUMENTING_CALL = /(?:^|\.)(?:Field|Query|Body|Path|Header|Cookie|Form|File|Param|Schema)$/;

/** A sample value of a schema: under an OpenAPI `example(s)` key, or in `Field(examples=[…])`/`Query(example=…)`. */
function isExampleBinding(b: StringBinding): boolean {
  if (b.kind === 'config-entry') return EXAMPLE_SEGMENT.test(b.path);
  return b.kind === 'keyword-argument' && /^examples?$/.test(b.name) && DOCUMENTING_CALL.test(b.context ?? '');
}

/** react-email's `Template.PreviewProps = {…}`: sample data for the e-mail preview, never sent. */
const PREVIEW_DATA = /(?:^|\.)PreviewProps\./;

const URL_SCHEME = /^[a-z][\w+.-]*:\/\//i;

/** `scheme://user:password@` where the password is the user name (`postgres://saleor:saleor@localhost`): a local default. */
function passwordIsUserName(text: string, password: string): boolean {
  const m = /:\/\/([^:@/\s'"`]+):([^@/\s'"`]*)@/.exec(text);
  return m !== null && m[2] === password && m[1] === password;
}

/** Documentation read as text: its connection strings and named values are examples (provider keys still count). */
const PROSE_FILE = /\.(?:md|mdx|markdown|rst|adoc)$/i;

/** Sample code that does not ship: examples/, docs/, samples/, demo/. */
const SAMPLE_DIR = /(^|\/)(examples?|samples?|docs?|demos?)\//i;

/** Translation catalogues: keys like LABEL_PASSWORD hold UI text in every language, never credentials. */
const LOCALE_FILE = /(^|\/)(i18n|l10n|locales?|lang|langs|languages|translations?)\/|(^|\/)[a-z]{2,3}([_-][A-Za-z]{2,4})?\.json$/;

/**
 * Data, not configuration (issue 15): JSON other than config-named files, and YAML under data folders. A key ending
 * in TOKEN or PASS there names a record (`"ANGRYTOKEN": "Angryb"` in a coin list), so only a value that looks like a
 * credential counts.
 */
const CONFIG_JSON = /(?:config|settings|secrets?|credentials?|env|auth)[^/]*\.json$|(?:^|\/)\.[^/]+\.json$/i;
const DATA_YAML = /(?:^|\/)(?:data|datasets?|seeds?|dumps?)\/[^/]+\.ya?ml$/i;

function isDataFile(file: FileFacts): boolean {
  if (file.language !== 'config') return false;
  return (/\.json$/i.test(file.path) && !CONFIG_JSON.test(file.path)) || DATA_YAML.test(file.path);
}

/** A credential-looking value: 8+ characters, two character classes or more, and some randomness. */
function looksLikeCredential(value: string): boolean {
  if (value.length < 8) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2 && shannonEntropy(value) >= 3;
}

/** One word in lower case (hyphens joining words allowed) or capitalised: a label or mode, not a credential. */
const PLAIN_WORD = /^(?:[a-z]+(?:-[a-z]+)*|[A-Z][a-z]+)$/;

/** Provider patterns that read a credential out of a `curl` command or an `https://user:password@host` URL. */
const COMMAND_OR_URL_CREDENTIALS: ReadonlySet<string> = new Set(['curl-auth-header', 'curl-user-password', 'url-credentials']);

/**
 * A password in a connection string's password position. Name-shaped values are dismissed elsewhere because they
 * usually name a field (`newPassword`); in a URL's userinfo a name-shaped value with a digit (`myC0mpl3xPwd`) is a password.
 */
function isConnectionPassword(password: string): boolean {
  const why = whyNotSecret(password);
  return why === null || (why === 'not-a-secret-shape' && /\d/.test(password) && /^[A-Za-z0-9_.-]+$/.test(password));
}

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.column}`;
}

function lower(severity: Severity): Severity {
  return severity === 'critical' ? 'high' : severity === 'high' ? 'medium' : 'low';
}

/** A Python settings class for tests or development (`class TestingConfig(ServerConfig)`, `DevelopmentSettings`). */
const DEV_CONFIG_CLASS = /^(?:Dev|Development|Debug|Local|Test|Testing|CI)(?:Config|Configuration|Settings)$/;

const within = (r: Range, outer: Range) =>
  (r.start.line > outer.start.line || (r.start.line === outer.start.line && r.start.column >= outer.start.column)) &&
  (r.end.line < outer.end.line || (r.end.line === outer.end.line && r.end.column <= outer.end.column));

function* checkFile(file: FileFacts): Generator<Match<MessageId>> {
  const inTestPath = looksLikeTestPath(file.path);
  const inTests = inTestPath || CI_FILE.test(file.path);
  const devFile = !inTests && DEV_FILE.test(file.path);
  // Test and development files rank alike: found, low, summarised (provider keys keep their severity).
  const testFile = inTests || devFile;
  // So do the values of a test or development settings class in a shared config module (CTFd's TestingConfig).
  // The framework facts list a web module's classes; a class field names its own class (CTFd/config.py has no web marker).
  const devClasses = (file.pyRoutes?.classes ?? []).filter((c) => DEV_CONFIG_CLASS.test(c.name)).map((c) => c.range);
  const devFields = new Set(file.bindings.filter((b) => b.kind === 'class-field' && DEV_CONFIG_CLASS.test(b.context ?? '')).map((b) => rangeKey(b.range)));
  const inDevClass = (r: Range) => devFields.has(rangeKey(r)) || devClasses.some((c) => within(r, c));
  const exampleValue = (range: Range) => file.bindings.some((b) => rangeKey(b.range) === rangeKey(range) && isExampleBinding(b));
  const proseFile = file.language === 'text' && PROSE_FILE.test(file.path);
  const exampleFile = EXAMPLE_FILE.test(file.path) || SAMPLE_DIR.test(file.path) || proseFile;
  const localeFile = file.language === 'config' && LOCALE_FILE.test(file.path);
  const reported = new Set<string>();
  const properties: Record<string, boolean> | undefined = inTests ? { testFile: true } : devFile ? { devFile: true } : undefined;

  for (const s of file.strings) {
    for (const hit of findProviderSecrets(s.value)) {
      const pattern = SECRET_PATTERNS.find((p) => p.id === hit.patternId)!;
      reported.add(rangeKey(s.range));
      // A private key in test code is one the project generated for its tests (saleor's tests/settings.py signs test
      // tokens with it): a fixture, ranked low. Provider-issued keys (AWS, Stripe, GitHub…) in tests keep their severity.
      const testKey = inTestPath && pattern.id === 'private-key' && !hit.published;
      yield {
        messageId: testKey ? 'testPrivateKey' : 'providerSecret',
        // A key published as an example (jwt.io's sample) is no secret in a test, but anyone can sign with it elsewhere.
        data: {
          kind: hit.published
            ? `${pattern.title} (${hit.published}, public)`
            : hit.placeholder
              ? `${pattern.title} that looks like a documentation placeholder in its provider's format (if it was ever real, rotate it)`
              : pattern.title,
        },
        path: file.path,
        range: s.range,
        // Tokens in tests are usually fixtures (a signed JWT for a test user); keys are still keys. A credential
        // written into a command or URL in documentation is usually an example of the syntax: found, ranked low.
        severity:
          hit.placeholder ||
          (testFile && (pattern.id === 'jwt' || hit.published !== undefined)) ||
          testKey ||
          (exampleFile && COMMAND_OR_URL_CREDENTIALS.has(pattern.id)) ||
          exampleValue(s.range)
            ? 'low'
            : pattern.severity,
        confidence: hit.placeholder ? 'low' : pattern.confidence,
        secrets: [hit.secret],
        redact: [s.range],
        properties: {
          secretKind: pattern.id,
          ...(hit.published ? { publishedKey: true } : {}),
          ...(hit.placeholder ? { placeholder: true } : {}),
          ...properties,
        },
      };
    }
    // A connection string in documentation is an example (`postgres://user:pass@localhost`); a provider key there is not.
    if (reported.has(rangeKey(s.range)) || proseFile) continue;
    const conn = findConnectionStringPassword(s.value);
    if (conn && isConnectionPassword(conn.password)) {
      reported.add(rangeKey(s.range));
      yield {
        messageId: 'connectionString',
        data: { scheme: conn.scheme },
        path: file.path,
        range: s.range,
        severity: testFile || exampleFile || exampleValue(s.range) || inDevClass(s.range) || passwordIsUserName(s.value, conn.password) ? 'low' : 'critical',
        confidence: 'high',
        secrets: [conn.password],
        redact: [s.range],
        properties: { secretKind: 'connection-string', ...properties },
      };
    }
  }

  for (const b of file.bindings) {
    if (reported.has(rangeKey(b.range)) || localeFile) continue;
    const match = checkBinding(file, b, testFile || inDevClass(b.range), exampleFile);
    if (!match) continue;
    reported.add(rangeKey(b.range));
    yield { ...match, ...(properties ? { properties: { ...match.properties, ...properties } } : {}) };
  }
}

const DOTENV_FILE = /(?:^|\/)\.env$/;

/** Every word of the value is a (letters-only) word of the name (`.data-api` in `DATA_API_KEY`). */
function ownNameValue(value: string, name: string): boolean {
  const words = (s: string) =>
    s
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
  const valueWords = words(value);
  const nameWords = new Set(words(name));
  // Words, not a token that happens to prefix its name (`Zq8X9Lm2_TOKEN=Zq8X9Lm2` is still a value): letters only.
  return valueWords.length > 0 && valueWords.every((w) => /^[a-z]+$/.test(w) && nameWords.has(w));
}

function checkBinding(file: FileFacts, b: StringBinding, testFile: boolean, exampleFile: boolean): Match<MessageId> | null {
  const kind = classifySecretName(b.name);
  if (!kind) return null;
  if (b.kind === 'config-entry' && isDataFile(file) && !looksLikeCredential(b.value)) return null;
  // GitHub Actions `secrets: inherit` passes the caller's secrets on; it is a keyword, not a value.
  if (b.kind === 'config-entry' && /(?:^|\.)secrets$/.test(b.path) && b.value.trim() === 'inherit') return null;
  // A URL under a connection-string name is a secret only with a password in it (`sqlite://`, `postgres://app@db/app` are not).
  if (kind === 'connection-string' && URL_SCHEME.test(b.value.trim()) && !findConnectionStringPassword(b.value)) return null;
  // `token == "def"` in a tokenizer is not a credential check; a password compared with a literal is.
  if (b.kind === 'comparison' && (kind === 'token' || kind === 'connection-string')) return null;
  // `AUTH = "authorize"`, `SESSION_AUTH = "session"`, `DOC_CATEGORY_AUTH = "Authentication"`, fetch's
  // `credentials: "same-origin"`: an auth *kind*, label or mode,
  // one plain word. A credential is a pair, a token or a key, never a lone dictionary-shaped word.
  if (kind === 'credential' && b.kind !== 'argument' && PLAIN_WORD.test(b.value)) return null;
  // An API key the app sends to a provider, falling back to one plain word (`os.getenv("OPENAI_API_KEY", "custom")`
  // for a local OpenAI-compatible server), is a dummy the provider rejects, not a key anyone can use.
  if (kind === 'api-key' && b.kind === 'env-fallback' && PLAIN_WORD.test(b.value)) return null;
  // A credential check against a literal (`password == "admin"`) is a built-in login, whatever the value looks like.
  const credentialCheck = b.kind === 'comparison' && (kind === 'password' || kind === 'secret' || kind === 'credential' || kind === 'api-key');
  const frameworkKey = b.kind !== 'config-entry' && FRAMEWORK_SECRET_NAME.test(b.name);
  const byContract =
    b.kind === 'argument' || credentialCheck || frameworkKey || (b.context !== undefined && b.kind === 'property' && SECRET_BY_CONTRACT.test(b.context));
  // A signing secret that falls back to a placeholder is still a known key in production when the variable is unset.
  const signingFallback = b.kind === 'env-fallback' && kind === 'secret';
  const reason = whyNotSecret(b.value, { name: b.name, path: file.path });
  // Where the value is consumed as a secret (a signing key, a session secret, a login check), every literal is the
  // secret the app runs with: weak and placeholder values too. Only values that are no literal secret at all drop.
  // A signing secret in the app's own `.env` (not an example or template) is the secret it runs with: vuln-nodejs-app's
  // `JWT_SECRET=<weak word>` read by `jwt.sign(payload, process.env.JWT_SECRET)`.
  const dotenvSecret = b.kind === 'config-entry' && kind === 'secret' && !exampleFile && DOTENV_FILE.test(file.path);
  const usedAsIs = byContract || signingFallback || dotenvSecret;
  // `DATA_API_KEY = '.data-api'` (Bootstrap's event namespace): a value made only of its own name's words names
  // something; it is no key. Where the value is used as a secret, `secret_key = "secret-key"` still is one.
  if (!usedAsIs && ownNameValue(b.value, b.name)) return null;
  if (reason && (!usedAsIs || NEVER_A_VALUE.has(reason) || SENTINEL.test(b.value.trim()))) return null;
  const quality: Quality = reason === 'placeholder' || DJANGO_INSECURE.test(b.value) ? 'placeholder' : reason ? 'weak' : 'none';

  let severity: Severity = kind === 'private-key' || kind === 'connection-string' ? 'critical' : 'high';
  let confidence: Confidence = quality === 'placeholder' ? 'low' : shannonEntropy(b.value) >= 3.5 && b.value.length >= 16 ? 'high' : 'medium';
  // A value the code refuses in production (it throws there first, medusa's `rejectErrors`) is a development default.
  if (testFile || exampleFile || isExampleBinding(b) || PREVIEW_DATA.test(b.path) || b.devDefault) {
    severity = 'low';
    confidence = 'low';
  } else if (b.kind === 'env-fallback' || b.kind === 'comparison') {
    severity = lower(severity);
  }
  // A local stand-in's credential (`AWS_SECRET_ACCESS_KEY = "polar123456789"`, a password made of its user name): found, low.
  const localNote = localCredentialNote(b, file.bindings);
  if (localNote) {
    severity = 'low';
    confidence = 'low';
  }
  const what = KIND_WORDS[kind];
  const messageId: MessageId = b.devDefault
    ? 'devDefault'
    : b.kind === 'env-fallback'
      ? 'envFallback'
      : b.kind === 'comparison'
        ? 'comparison'
        : b.through !== undefined
          ? 'consumedSecret'
          : 'namedSecret';
  // An environment fallback read through a constant names the variable, and the constant after the kind of secret.
  const viaConstant = b.kind === 'env-fallback' && b.through !== undefined;
  const name = viaConstant ? b.path : (b.through ?? (b.kind === 'argument' ? `${b.context ?? b.name}()` : b.path));
  return {
    messageId,
    data: {
      what: viaConstant ? `${what} (\`${b.through}\`)` : what,
      name,
      call: b.kind === 'property' ? `${b.context}({ ${b.name} })` : `${b.context ?? b.name}()`,
      quality: localNote ?? QUALITY_WORDS[quality],
    },
    path: file.path,
    range: b.range,
    // A class field's context (its class) is left out: fingerprints stay those of before it was recorded.
    anchor: `${b.kind}:${b.path}:${b.kind === 'class-field' ? '' : (b.context ?? '')}${b.through !== undefined ? `:${b.through}` : ''}`,
    severity,
    confidence,
    // A short weak value, or one inside its own name (`ANGRY` in `ANGRYTOKEN`), is masked at its range only: masked
    // everywhere, it would blank words of the message and the name on the line.
    secrets: (quality !== 'none' && b.value.length < MASK_EVERYWHERE_MIN) || b.path.toLowerCase().includes(b.value.toLowerCase()) ? [] : [b.value],
    redact: [b.range],
    properties: { secretKind: kind, bindingKind: b.kind, ...(quality !== 'none' ? { valueQuality: quality } : {}) },
  };
}

export default defineRule<MessageId>({
  id: 'SOC2-002',
  slug: 'hardcoded-secret',
  title: 'Hard-coded credential or secret',
  description:
    'Credentials, API keys, private keys and signing secrets written into source or configuration files are readable by everyone with access to the repository, its history, its forks and its build artefacts, and cannot be rotated without a code change. SOC 2 CC6.1 expects access to be restricted to authorised users and CC6.6 expects secrets to be managed with key-management controls; a secret in code defeats both.',
  remediation:
    'Remove the value from the code, rotate it (it is in the git history), and read it at run time from the environment or a secret manager (AWS Secrets Manager, GCP Secret Manager, Vault, Doppler…). Fail at start-up when it is missing instead of falling back to a default.',
  severity: 'critical',
  confidence: 'high',
  controls: ['CC6.1', 'CC6.6'],
  cwe: ['CWE-798', 'CWE-259', 'CWE-321'],
  languages: ['javascript', 'typescript', 'python', 'config', 'text'],
  messages: {
    providerSecret: 'Hard-coded {{kind}}. Rotate it and load it from a secret manager or the environment.',
    testPrivateKey:
      'Hard-coded {{kind}} in test code: a key generated for the tests, ranked low. Rotate it if it is used outside tests, and never reuse it for a deployment.',
    connectionString: 'Connection string with an inline password ({{scheme}}). Rotate the password and read the URL from the environment or a secret manager.',
    namedSecret: 'Hard-coded {{what}} in `{{name}}`{{quality}}. Rotate it and read it from the environment or a secret manager.',
    consumedSecret:
      'Hard-coded {{what}} in `{{name}}`{{quality}}, used as the key of `{{call}}`. Rotate it and read it from the environment or a secret manager.',
    devDefault:
      'Hard-coded {{what}} in `{{name}}`{{quality}}: a development default the code refuses in production (it throws there before using it). Make sure every deployment sets its own value.',
    envFallback:
      '`{{name}}` falls back to a hard-coded {{what}}{{quality}} when the environment variable is unset. Fail at start-up instead of using a built-in secret.',
    comparison: 'Input is compared with a hard-coded {{what}} (`{{name}}`){{quality}}: a built-in credential. Check against a stored hash instead.',
  },
  *check({ files }) {
    for (const file of files) yield* checkFile(file);
  },
});
