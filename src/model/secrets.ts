/**
 * Knowledge behind SOC2-002 (hardcoded credentials): provider formats (see secret-patterns.ts), which names
 * hold secrets, which values cannot be secrets, passwords inside connection strings, masking and test paths.
 * Pure data and pure functions; every table carries the samples its tests iterate over.
 */
import { SECRET_PATTERNS, isExampleToken, isPlaceholderToken, type SecretPattern } from './secret-patterns.js';
import type { NotSecretReason } from './secret-value-samples.js';
import { buildKeywordIndex, candidatePatterns } from './secret-keywords.js';
import { publishedPrivateKey } from './secret-published.js';
import { COMPOUND_TAILS, SECRET_NOUNS, classifySecretName } from './secret-names.js';

export { SECRET_PATTERNS, KNOWN_EXAMPLE_TOKENS, syntheticToken, type SecretPattern } from './secret-patterns.js';
export { SECRET_NAME_SAMPLES, classifySecretName, type SecretNameKind } from './secret-names.js';

export interface ProviderSecret {
  patternId: string;
  secret: string;
  /** Index and length of the secret within the scanned text. */
  index: number;
  length: number;
  /** A private key published as an example (jwt.io's sample): where it was published. */
  published?: string;
  /** The provider's exact format with a placeholder-shaped body (`xxxx…`, `1234567890`): reported low, never dropped. */
  placeholder?: true;
}

const scanners = new WeakMap<SecretPattern, RegExp>();

function scannerFor(pattern: SecretPattern): RegExp {
  let re = scanners.get(pattern);
  if (!re) {
    re = new RegExp(pattern.regex.source, `${pattern.regex.flags.replace(/[gyd]/g, '')}gd`);
    scanners.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Matches of one pattern (keyword prefilter, regex, documentation placeholders dropped), in text order. */
export function findPatternMatches(pattern: SecretPattern, text: string, lowerText = text.toLowerCase()): ProviderSecret[] {
  if (!pattern.keywords.some((k) => lowerText.includes(k))) return [];
  return scanPattern(pattern, text);
}

const patternOrder = new Map(SECRET_PATTERNS.map((p, i) => [p.id, i]));
const keywordIndex = buildKeywordIndex(SECRET_PATTERNS);

/** The provider patterns (in table order) one of whose keywords occurs in `lower`, a lower-cased text: the only ones that can match it. */
export function providerPatternsIn(lower: string): SecretPattern[] {
  return candidatePatterns(keywordIndex, lower).map((i) => SECRET_PATTERNS[i]!);
}

/** Matches of one pattern, its keyword already known to occur. */
function scanPattern(pattern: SecretPattern, text: string): ProviderSecret[] {
  const re = scannerFor(pattern);
  const found: ProviderSecret[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    const [start, end] = m.indices?.groups?.secret ?? m.indices?.[0] ?? [m.index, m.index + m[0].length];
    const secret = text.slice(start, end);
    if (isExampleToken(secret)) continue;
    const published = pattern.id === 'private-key' ? publishedPrivateKey(secret) : null;
    const hit: ProviderSecret = { patternId: pattern.id, secret, index: start, length: end - start, ...(published ? { published } : {}) };
    if (isPlaceholderToken(secret)) hit.placeholder = true;
    found.push(hit);
  }
  return found;
}

/** All non-overlapping provider-format secrets, sorted by index (ties: longer first, then table order). */
export function findProviderSecrets(text: string): ProviderSecret[] {
  const candidates = providerPatternsIn(text.toLowerCase());
  if (candidates.length === 0) return [];
  const all = candidates
    .flatMap((pattern) => scanPattern(pattern, text))
    .sort((a, b) => a.index - b.index || b.length - a.length || (patternOrder.get(a.patternId) ?? 0) - (patternOrder.get(b.patternId) ?? 0));
  const kept: ProviderSecret[] = [];
  let end = 0;
  for (const s of all) {
    if (s.index < end) continue;
    kept.push(s);
    end = s.index + s.length;
  }
  return kept;
}

export type { NotSecretReason } from './secret-value-samples.js';
export { WHY_NOT_SECRET_SAMPLES } from './secret-value-samples.js';

/** Shannon entropy in bits per character (code point). */
export function shannonEntropy(s: string): number {
  const chars = [...s];
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// Reads from the environment or a secret manager: the value lives elsewhere.
const ENV_REFERENCE =
  /^(?:process\.env\b|import\.meta\.env\b|Deno\.env\b|os\.environ\b|os\.getenv\s*\(|getenv\s*\(|System\.getenv\s*\(|env\s*\(|ENV\s*\[|arn:aws:(?:secretsmanager|ssm):|vault:)/i;
// A placeholder body holds at most one level of braces and stops at the next `<%`: `[^}]*` from every `${` of
// `${${${…` (or `[\s\S]*` from every `<%`) rescanned the rest of the text, quadratic in its length.
const BRACED = String.raw`\{(?:[^{}]|\{[^{}]*\})*\}`;
const TEMPLATE_ANYWHERE = new RegExp(String.raw`\$${BRACED}|\{${BRACED}\}|%\([\w.-]+\)[sdr]|\$\([\w.:-]+\)|<%=?(?:(?!<%)[\s\S])*?%>|#${BRACED}`);
const TEMPLATE_WHOLE = /^(?:\$(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*)|%[sdv]|\{[\w.-]*\})$/;
const PUBLIC_KEY =
  /^(?:-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE)(?: BLOCK)?-----|(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) AAAA|pk_(?:live|test)_)/;
const PLACEHOLDER_WHOLE =
  /^(?:<[^<>]+>|\[[^\]]+\]|your[-_ .]?[\w .-]*|x+|\*+|•+|\.+|(.)\1+|todo\b.*|tbd|fixme|null|none|nil|undefined|n\/a|false|true|empty|required|optional|__[A-Z][A-Z_]*__)$/i;
const PLACEHOLDER_ANYWHERE =
  /example|placeholder|dummy|sample|fake|redacted|changeme|change[-_]me|replace[-_]?me|not[-_]?a[-_]?secret|[-_ ](?:goes[-_ ])?here$|x{4,}|\*{3,}|\.\.\.|…/i;
/**
 * Package versions and ranges: `^9.0.0`, `~1.2`, `>=2.0.0 <3`, `1.0.0-beta.2`, `1.0.0 - 2.0.0`. Written so that
 * every string has one reading: a `-` after a version starts a pre-release tag only when what follows is not
 * itself a version (then it is a hyphen range). Reading `-1` both ways made `1.1-1-1-1…!` exponential (50 s for
 * 100 bytes); this accepts exactly the same strings as the old expression (checked exhaustively up to 7 chars).
 */
const VERSION_NUMBER = String.raw`v?\d+(?:\.(?:\d+|x|\*))*`;
const PRE_RELEASE = String.raw`(?:-(?!${VERSION_NUMBER}(?:[\s|<>-]|$))[\w.]+)?`;
const VERSION = new RegExp(
  String.raw`^(?:(?:[~^]|[<>]=?|=)${VERSION_NUMBER}|v?\d+(?:\.(?:\d+|x|\*))+)${PRE_RELEASE}` +
    String.raw`(?:\s*(?:\|\||[<>]=?|-)\s*${VERSION_NUMBER}${PRE_RELEASE})*$`,
);
/** A regular-expression group opener: `(?:`, a lookaround, a named group. */
const REGEX_GROUP_OPENER = /\(\?(?:[:=!]|<[=!]|<[A-Za-z]\w*>)/;

/**
 * Whether `v` holds a regular-expression group: an opener (REGEX_GROUP_OPENER) with a `|` or `)` after it. Read in
 * one pass, not as `opener[^)]*[|)]`: that expression tried every opener against the rest of the text, so a value of
 * openers without a `)` took quadratic time (a 200 KB string literal, 10 s). The first opener decides: a `)` or `|`
 * after any opener is after the first one too.
 */
export function hasRegexGroup(v: string): boolean {
  const m = REGEX_GROUP_OPENER.exec(v);
  if (!m) return false;
  const after = m.index + m[0].length;
  return v.indexOf(')', after) !== -1 || v.indexOf('|', after) !== -1;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}$/i;
const SENTENCE_WORD = /^(?:[\p{L}'’.,:;!?()/-]+|\d+)$/u; // '/' for "signing/verification", "and/or"
/** An outline label before a heading: `A2:`, `A10:`, `3.`, `2)`, `§4`. */
const OUTLINE_LABEL = /^(?:[A-Z]{0,2}\d{1,3}[:.)]|§\d{1,3}[:.]?)$/;
const IDENTIFIER = /^(?:[a-z]+(?:[-_.][a-z]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$/;
/** Letters only, at least two words by case change, optionally joined by `::` or `.`: 'NextToken', 'AWS::Route53::KeySigningKey'. */
const CAMEL_IDENTIFIER = /^(?:[A-Za-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+|[A-Z]+)(?:(?:::|\.)[A-Z][A-Za-z0-9]*)*$/;
const camelWords = (v: string): string[] =>
  v
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .toLowerCase()
    .split(/[\s:.]+/)
    .filter(Boolean);

/** Words that make an identifier-shaped value a name (of a field, header, input…) rather than a secret. */
const NAMING_WORDS = new Set([
  'key',
  'keys',
  'name',
  'field',
  'header',
  'id',
  'type',
  'label',
  'input',
  'code',
  'hash',
  'username',
  'email',
  'user',
  'auth',
  'api',
  'access',
  'refresh',
  'current',
  'new',
  'old',
  'confirm',
]);
const SECRETISH_QUERY_KEY = /key|token|secret|passw|pwd|sig|auth|credential/i;

const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function isPlaceholder(v: string, name: string | undefined): boolean {
  if (PLACEHOLDER_WHOLE.test(v) || PLACEHOLDER_ANYWHERE.test(v)) return true;
  if (name === undefined) return false;
  const lastSegment =
    name
      .split(/[.[\]'"]+/)
      .filter(Boolean)
      .at(-1) ?? name;
  return compact(v) === compact(name) || compact(v) === compact(lastSegment);
}

function isUrlWithoutCredentials(v: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v)) return false;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return false;
  }
  if (url.password !== '') return false;
  return ![...url.searchParams].some(([k, val]) => val !== '' && SECRETISH_QUERY_KEY.test(k));
}

/** A long segment mixing upper, lower and digits is random data (base64 holds `/`), not a directory name. */
const looksRandom = (segment: string) => segment.length >= 16 && /[A-Z]/.test(segment) && /[a-z]/.test(segment) && /\d/.test(segment);

function isFilePath(v: string): boolean {
  if (/^[\w.-]+(?:[/\\][\w.-]+)+\.[A-Za-z0-9]{1,10}$/.test(v)) return true;
  if (!/^(?:~|\.{1,2})?[/\\]|^[A-Za-z]:[/\\]/.test(v)) return false;
  const segments = v.split(/[/\\]+/).filter((s) => s !== '' && s !== '~' && !/^\.{1,2}$/.test(s) && !/^[A-Za-z]:$/.test(s));
  return segments.length > 0 && segments.every((s) => /^[\w.@ -]+$/.test(s) && !looksRandom(s));
}

function isNotSecretShape(v: string, name: string | undefined): boolean {
  if (isUrlWithoutCredentials(v) || isFilePath(v) || EMAIL.test(v)) return true;
  // Regular-expression source (a group with `(?:`, a lookaround or a named group): a pattern held in a constant
  // whose name says what it matches (`const PW = '(?:^_*(?:handle|post)?_?|_)'`), not a password.
  if (hasRegexGroup(v)) return true;
  const words = v.split(/\s+/);
  if (words.length >= 2 && words.every((w) => SENTENCE_WORD.test(w))) return true;
  // A heading or list entry: an outline label (`A2:`, `3.`, `§4`) before a sentence (dvna's category map
  // `a2_broken_auth: 'A2: Broken Authentication'` was read as a credential).
  if (words.length >= 3 && OUTLINE_LABEL.test(words[0] ?? '') && words.slice(1).every((w) => SENTENCE_WORD.test(w))) return true;
  if (VERSION.test(v)) return true;
  if (SECRET_NOUNS.has(v) || COMPOUND_TAILS.some(([t, parts]) => t === v && parts.length > 1)) return true;
  // An identifier names something ('new-password', 'x-api-key', 'SESSION_TOKEN') rather than being a secret
  // itself; 'letmein-admin' or 'change-this-in-prod' name nothing and stay plausible.
  if (
    IDENTIFIER.test(v) &&
    v
      .toLowerCase()
      .split(/[-_.]/)
      .some((w) => SECRET_NOUNS.has(w) || NAMING_WORDS.has(w))
  )
    return true;
  // The same for camelCase / PascalCase / `::` names: 'NextToken', 'nextPageToken', 'AWS::Route53::KeySigningKey'.
  if (CAMEL_IDENTIFIER.test(v) && camelWords(v).some((w) => SECRET_NOUNS.has(w) || NAMING_WORDS.has(w))) return true;
  if (UUID.test(v)) {
    // Some APIs issue UUID tokens; elsewhere a UUID is an identifier.
    const kind = name === undefined ? null : classifySecretName(name);
    return kind === null || kind === 'connection-string' || kind === 'private-key';
  }
  return false;
}

/**
 * Why a literal cannot be a hardcoded secret, or null when it is plausibly one. Thresholds beyond the
 * built-in ones (minimum length per name, test paths) are the caller's. `ctx.path` is accepted but not used
 * to dismiss: a real key pasted into `.env.example` still leaks.
 */
export function whyNotSecret(value: string, ctx: { name?: string; path?: string } = {}): NotSecretReason | null {
  const v = value.trim();
  if (v === '') return 'empty';
  if (ENV_REFERENCE.test(v)) return 'env-reference';
  if (TEMPLATE_ANYWHERE.test(v) || TEMPLATE_WHOLE.test(v)) return 'template';
  if (PUBLIC_KEY.test(v)) return 'public-key';
  if (isPlaceholder(v, ctx.name)) return 'placeholder';
  if (findProviderSecrets(v).length > 0) return null;
  if ([...v].length < 6) return 'too-short';
  if (isNotSecretShape(v, ctx.name)) return 'not-a-secret-shape';
  if (shannonEntropy(v) < 1.5) return 'low-entropy';
  return null;
}

export interface ConnectionStringSecret {
  /** Lowercased scheme as written (`postgresql+psycopg2`, `jdbc:mysql`, `mongodb+srv`), `ado.net` for `Key=Value;` strings. */
  scheme: string;
  password: string;
  /** Index and length of the password within the text. */
  index: number;
  length: number;
}

const DB_SCHEME = String.raw`(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb|rediss?|amqps?|mssql|sqlserver)(?:\+[a-z0-9]+)?`;
const URL_USERINFO = new RegExp(String.raw`(?<![\w+.:-])(?<scheme>${DB_SCHEME})://[^:@\s/'"\`?#]*:(?<password>[^@\s/'"\`?#]*)@`, 'gid');
const URL_QUERY = new RegExp(
  // Bounded: from every scheme of `mysql://a?mysql://a?…` an open-ended scan to the line's end was quadratic.
  String.raw`(?<![\w+.:-])(?<scheme>${DB_SCHEME})://[^\s'"\`]{0,2048}?[?&;](?:password|pwd)=(?<password>[^&;\s'"\`#]*)`,
  'gid',
);
const KV_PASSWORD = /(?<=^|[;'"`\s])(?:password|pwd)\s*=\s*(?<password>[^;'"`\r\n]*)/dgi;
const KV_SERVER = /(?:^|[;'"`\s])(?:server|data source|host|address|addr|network address)\s*=/i;
const LINE_BREAK = /[\r\n]/g;

function* connectionCandidates(text: string): Generator<ConnectionStringSecret> {
  for (const re of [URL_USERINFO, URL_QUERY]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const span = m.indices?.groups?.password;
      if (span) yield { scheme: (m.groups?.scheme ?? '').toLowerCase(), password: text.slice(...span), index: span[0], length: span[1] - span[0] };
    }
  }
  // ADO.NET / ODBC `Server=…;User Id=…;Password=…;`: only inside a line that has `;` and a server key.
  // The line is read once, not once per `pwd=` on it (`pwd=a;pwd=a;…` was quadratic).
  KV_PASSWORD.lastIndex = 0;
  let lineEnd = -1;
  let kvLine = false;
  for (let m = KV_PASSWORD.exec(text); m; m = KV_PASSWORD.exec(text)) {
    const span = m.indices?.groups?.password;
    if (!span) continue;
    if (m.index >= lineEnd) {
      const lineStart = Math.max(text.lastIndexOf('\n', m.index), text.lastIndexOf('\r', m.index)) + 1;
      LINE_BREAK.lastIndex = m.index;
      lineEnd = LINE_BREAK.exec(text)?.index ?? text.length;
      const line = text.slice(lineStart, lineEnd);
      kvLine = line.includes(';') && KV_SERVER.test(line);
    }
    if (!kvLine) continue;
    const password = text.slice(...span).trimEnd();
    yield { scheme: 'ado.net', password, index: span[0], length: password.length };
  }
}

/** Whether a lowercased text holds what every connection-string form above needs (`://`, `pwd` or `password`): a cheap test before the regexes. */
export function hasConnectionMarker(lower: string): boolean {
  return lower.includes('://') || lower.includes('pwd') || lower.includes('password');
}

/** The first password written into a database/broker connection string, skipping empty and templated ones. */
export function findConnectionStringPassword(text: string): ConnectionStringSecret | null {
  let best: ConnectionStringSecret | null = null;
  for (const c of connectionCandidates(text)) {
    const why = whyNotSecret(c.password);
    if (why === 'empty' || why === 'template' || why === 'env-reference') continue;
    if (!best || c.index < best.index) best = c;
  }
  return best;
}

/** A sample with its password put in at load time, so this file holds no connection string with a password in it. */
const sample = (text: string, scheme: string, password: string): [string, string, string] => [text.replace('{pw}', password), scheme, password];

/** `[text, scheme, password]`: the password must be found with exactly that scheme. */
export const CONNECTION_STRING_SAMPLES: { match: Array<[string, string, string]>; noMatch: string[] } = {
  match: [
    sample('DATABASE_URL=postgres://app:{pw}@db:5432/app', 'postgres', 'Pg5ecret!'),
    sample('postgresql://admin:{pw}@localhost/prod', 'postgresql', 'k9Xq2mLp'),
    sample('create_engine("postgresql+psycopg2://svc:{pw}@pg/reports")', 'postgresql+psycopg2', 'Zt7wQ1vR'),
    sample('mysql://root:{pw}@127.0.0.1:3306/shop', 'mysql', 'r00tPass'),
    sample('mariadb://app:{pw}@db/app', 'mariadb', 'M4ria_db'),
    sample('mongodb://user:{pw}@mongo1,mongo2/app?replicaSet=rs0', 'mongodb', 'Mg0Pass%40x'),
    sample("const uri = 'mongodb+srv://api:{pw}@cluster0.ab1cd.mongodb.net/app';", 'mongodb+srv', 'Atl4sPw9'),
    sample('redis://:{pw}@cache:6379/0', 'redis', 'R3disPass'),
    sample('rediss://default:{pw}@eu1.upstash.io:6379', 'rediss', 'Up5tash9'),
    sample('amqp://guest:{pw}@broker:5672/', 'amqp', 'Rabb1tMq'),
    sample('amqps://svc:{pw}@host.cloudamqp.com/vhost', 'amqps', 'Cl0udAmqp'),
    sample('mssql://sa:{pw}@db:1433/app', 'mssql', 'Sql5erver!'),
    sample('sqlserver://sa:{pw}@db/app', 'sqlserver', 'Yuk0n900'),
    sample('jdbc:postgresql://db:5432/app?user=app&password={pw}', 'jdbc:postgresql', 'JdbcPg42'),
    sample('jdbc:mysql://app:{pw}@db:3306/app', 'jdbc:mysql', 'JdbcMy42'),
    sample('jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={pw};', 'jdbc:sqlserver', 'JdbcMs42'),
    sample('"Server=tcp:db.acme.io,1433;Initial Catalog=app;User ID=sa;Password={pw};"', 'ado.net', 'AdoN3t!pw'),
    sample('Data Source=db;Database=app;Uid=app;Pwd={pw};', 'ado.net', '0dbcPw77'),
  ],
  noMatch: [
    'postgres://user@host/db',
    'postgres://host:5432/db',
    'postgres://user:@host/db',
    'postgres://user:${DB_PASS}@host/db',
    "'mysql://%s:%s@%s/%s' % (user, pw, host, db)",
    'postgresql://{user}:{password}@{host}/{db}',
    'jdbc:postgresql://db:5432/app?user=app&password=',
    'https://user:{pw}@example.org/'.replace('{pw}', 'Http5ecret'),
    'Server=db;Database=app;Integrated Security=true;',
    'DB_PASSWORD=Pl41nEnvPw',
    'Password=${DB_PASSWORD};Server=db;',
  ],
};

const MASK = '********';
const patternsById = new Map(SECRET_PATTERNS.map((p) => [p.id, p]));

/**
 * The pattern's public prefix (if any) + eight stars: never the length, never another character. Without a
 * patternId the provider is recognised from the secret itself.
 */
export function maskSecret(secret: string, patternId?: string): string {
  const id = patternId ?? findProviderSecrets(secret).find((s) => s.index === 0 && s.length === secret.length)?.patternId;
  const prefix = (id === undefined ? undefined : patternsById.get(id))?.publicPrefix?.(secret) ?? '';
  const safe = prefix !== '' && secret.startsWith(prefix) && secret.length - prefix.length >= 8;
  return (safe ? prefix : '') + MASK;
}

// The test-path classifier lives in test-paths.ts; re-exported here for the modules that import it from secrets.
export { looksLikeTestPath, TEST_PATH_SAMPLES } from './test-paths.js';
