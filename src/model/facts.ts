/**
 * The facts model: plain, serialisable data extracted from one file. Rules read these (through the project
 * model), never an AST, so a new language is a new extractor and no rule changes. Positions are 1-based;
 * the language layer converts its parser's positions once.
 */

import type { Language, Range } from '../types.js';

export type { Language, Position, Range } from '../types.js';

/**
 * How a string literal is bound to a name. One fact serves every "a name holds a literal" question
 * (secrets today; sensitive names, config keys later).
 */
export type BindingKind =
  | 'variable' // const password = '…' / password = '…'
  | 'assignment' // obj.password = '…' / self.password = '…' / app.config['SECRET_KEY'] = '…'
  | 'property' // { password: '…' } / dict literal { 'password': '…' }
  | 'class-field' // class A { password = '…' } / class A: password = '…'
  | 'parameter-default' // function f(password = '…') / def f(password='…')
  | 'keyword-argument' // connect(password='…')
  | 'comparison' // if (password === '…') / if password == '…'
  | 'env-fallback' // process.env.X || '…' / os.environ.get('X', '…') / os.getenv('X', '…')
  | 'argument' // a positional argument that a known API takes as a secret: jwt.sign(p, '…'), createHmac(a, '…')
  | 'config-entry'; // KEY=value in .env / key: value in YAML / "key": "value" in JSON …

export interface StringBinding {
  kind: BindingKind;
  /** The bound name as written: `password`, `SECRET_KEY`, `db.password`, `app.config["SECRET_KEY"]` → `SECRET_KEY`. */
  name: string;
  /** The full dotted path where it matters (`session.secret`, `jwt.sign` options …); equals name otherwise. */
  path: string;
  /** For env-fallback: the environment variable read. For call options: the callee (`session`, `jwt.sign`). */
  context?: string;
  value: string;
  /** Range of the string value (for code: the literal including quotes). */
  range: Range;
  /**
   * The code refuses this value in production: a throw under a production check runs before it, directly or in a
   * same-file helper called just before (`rejectErrors(...)` that throws when `isProduction`). A development default.
   */
  devDefault?: true;
  /**
   * A literal reached through a same-file constant (`const key = 'shhhhh'; jwt.sign(p, key)`): the constant's name.
   * The range is the constant's literal; `context` names the call that consumes it.
   */
  through?: string;
}

export interface StringLiteral {
  value: string;
  range: Range;
}

/** A module import: `import x from 'y'`, `require('y')`, `from .y import x`, `import y.z as w`. */
export interface ImportFact {
  /** As written: 'express', './routes/users', 'django.contrib.auth'; Python relative imports keep their dots ('.routers'). */
  module: string;
  /**
   * Local bindings. `imported` is the exported name, 'default', or '*' for the whole module (`import * as x`,
   * `const x = require('y')`, Python `import y`). A side-effect import has none.
   */
  names: Array<{ local: string; imported: string }>;
  line: number;
}

/**
 * Shape version of FileFacts, part of the facts cache key: bump it whenever FileFacts (or a feature field in it)
 * changes shape or meaning, so no scan trusts facts cached by an older extractor.
 */
export const FACTS_SCHEMA_VERSION = 5;

export interface FileFacts {
  /** Repo-root-relative POSIX path. */
  path: string;
  language: Language;
  lineCount: number;
  /** Name-to-literal bindings (see BindingKind). */
  bindings: StringBinding[];
  /**
   * String literals (and template-literal text, and config values) long enough to hold a credential. A language
   * extractor lists them all; the engine keeps those a reader finds something in (a provider-format secret, a
   * connection-string password, an audit trigger: model/string-facts.ts). Literals in `bindings` appear here too.
   */
  strings: StringLiteral[];
  imports: ImportFact[];
  // Feature facts: each feature extractor adds its own optional field below.
  /** Python web-framework facts: decorated functions, classes, mounting calls, URL confs (src/frameworks/python/). */
  pyRoutes?: import('./py-routes.js').PyRouteFacts;
  /** JS/TS web-framework facts: apps, routers, plugins, routes, mounts, NestJS and Next.js parts (src/frameworks/javascript/). */
  jsRoutes?: import('./js-routes.js').JsRoutes;
  /** Request data reaching sinks, summaries and cross-file calls (SOC2-004; src/flow/). */
  dataFlow?: import('./data-flow.js').DataFlowFacts;
  /** Error details sent to clients and debug settings (SOC2-007). */
  errorExposures?: import('./data-flow.js').ErrorExposure[];
  /** ORM model / entity / schema declarations with their fields (data-protection extractors, Prisma parser). */
  dataModels?: DataModel[];
  /** Hashing, ciphers, randomness, browser-storage writes, logger calls, password stores (data-protection). */
  cryptoUses?: CryptoUse[];
  /** Session/cookie options, cookie writes, JWT calls, framework settings, CSRF signals (sessions extractors). */
  sessionFacts?: SessionFact[];
  /** Per function: security events, data writes, logging/audit calls, calls; project-wide audit mechanisms (SOC2-003/010). */
  auditFacts?: import('./audit-facts.js').AuditFacts;
  /** LLM call sites, agents, tools and their guards (SOC2-011..015, `agents` inventory; languages/<lang>/llm.ts). */
  llm?: import('./llm.js').LlmFacts;
  /** tsconfig.json / jsconfig.json module aliases (config extractor; read by the module resolver, src/flow/modules.ts). */
  tsconfig?: TsconfigFact;
}

/** The module-alias fact of a tsconfig.json / jsconfig.json: `compilerOptions.baseUrl`, `paths` and `extends`, as written. */
export interface TsconfigFact {
  /** `compilerOptions.baseUrl`, relative to the config file. */
  baseUrl?: string;
  /** `compilerOptions.paths`: pattern (at most one `*`) → targets, relative to baseUrl, else to the config file. */
  paths?: Record<string, string[]>;
  /** `extends` (a string or a list); only relative ones name a project file. */
  extends?: string[];
}

/** A statically read option value: literals as themselves, lists as arrays, anything else as `{ expr }` (its source text). */
export type OptionValue = string | number | boolean | null | OptionValue[] | { expr: string };

export type Orm = 'sqlalchemy' | 'django' | 'prisma' | 'typeorm' | 'sequelize' | 'mongoose';

export interface DataModelField {
  name: string;
  /** The declared type as written (`String`, `models.CharField`, `varchar`) when known. */
  type?: string;
  /** An encrypting column type, transformer, plugin or `/// @encrypted` applies to the field. */
  encrypted: boolean;
  range: Range;
}

export interface DataModel {
  orm: Orm;
  name: string;
  range: Range;
  fields: DataModelField[];
}

export type CryptoUseKind =
  | 'hash' // a fast digest: createHash('md5').update(x), hashlib.sha1(x), CryptoJS.SHA256(x)
  | 'password-hash' // bcrypt / argon2 / scrypt / pbkdf2 / make_password / generate_password_hash …
  | 'cipher' // createCipheriv, AES.new, Cipher(algorithms.X, modes.Y), CryptoJS.X.encrypt
  | 'insecure-random' // Math.random / random.* producing a value named like a key or token
  | 'storage-write' // localStorage / sessionStorage writes
  | 'log' // a logger call; `names` are the identifiers passed to it
  | 'password-store' // a password field set on a model / passed to create()
  | 'encrypted-write' // a field set from an encrypt() call (application-level encryption)
  | 'pii-store' // a personal-data field set on an object the same function writes to the database (`user.ssn = ssn; users.update(…)`)
  | 'password-call'; // a project hash-like helper given a password (`security.hash(password)`); weak when its body digests

export interface CryptoUse {
  kind: CryptoUseKind;
  /** The callee as written (`crypto.createHash`, `hashlib.md5`, `localStorage.setItem`, `logger.info`). */
  api: string;
  /** Lower-case algorithm (`md5`, `des-ede3-cbc`, `aes-128-ecb`, `rc4`) when static. */
  algorithm?: string;
  /** Cipher mode when separate from the algorithm (`ecb`, `cbc`). */
  mode?: string;
  /** Cipher IV: none (createCipher), static (a literal, zero-filled buffer) or other. */
  iv?: 'none' | 'static' | 'other';
  /** Identifier/member names in the data argument(s) (last segments: `req.body.password` → `password`). */
  names: string[];
  /** Target: the storage key, the assigned variable/field, the enclosing function for random values. */
  target?: string;
  /** password-store: the value comes from request data; and the enclosing function calls a password hash. */
  fromRequest?: boolean;
  hashedInScope?: boolean;
  /** password-store: methods the object holding the password is then handed to in the same function (`this.usersService.update(id, user)`). */
  passedTo?: string[];
  /** password-hash inside a model hook (pre('save'), beforeCreate, @BeforeInsert, def save). */
  inModelHook?: boolean;
  range: Range;
}

export type SessionFactKind =
  | 'session-middleware' // express-session, cookie-session, @fastify/session, @fastify/secure-session, iron-session
  | 'cookie-write' // res.cookie, reply.setCookie, cookies().set, response.set_cookie
  | 'jwt-sign'
  | 'jwt-verify'
  | 'jwt-decode' // decoding without verification
  | 'jwt-unsecured' // jose UnsecuredJWT
  | 'setting' // SESSION_COOKIE_SECURE = False, app.config[...] = …, MIDDLEWARE = [...]
  | 'csrf-exempt' // @csrf_exempt / method_decorator(csrf_exempt)
  | 'csrf-protection' // csurf, csrf-csrf, lusca.csrf, @fastify/csrf-protection, CSRFProtect
  | 'state-changing-route' // app.post / router.put … (fallback while the endpoint model is empty)
  | 'session-login'; // req.session.user = … ; `regenerated` says whether the function regenerates the session

export interface SessionFact {
  kind: SessionFactKind;
  /** The callee or setting as written (`session`, `res.cookie`, `jwt.sign`, `SESSION_COOKIE_SECURE`). */
  api: string;
  /** Module the call comes from when known (`express-session`, `cookie-session`, `jsonwebtoken`, `jose`, `jwt`). */
  module?: string;
  /** Options flattened to dotted keys (`cookie.secure`), keyword arguments by name. */
  options: Record<string, OptionValue>;
  /** Keys present in the call's options whose value could not be read (spread, variable options object). */
  dynamicOptions?: boolean;
  /** The cookie name, the setting's value, the view name … */
  name?: string;
  value?: OptionValue;
  /** Declared in a development-only place (settings/dev.py, an `if NODE_ENV === 'development'` branch, `if DEBUG:`). */
  devOnly: boolean;
  /** session-login: the same function calls regenerate(); jwt-sign: the payload literal carries `exp`. */
  regenerated?: boolean;
  payloadHasExp?: boolean;
  /** csrf-exempt: the view only accepts safe methods (require_GET, require_safe); it reads request.user/session or requires login. */
  safeMethodsOnly?: boolean;
  usesSession?: boolean;
  /** jwt-decode: the enclosing function reads the token from the request (Authorization header, cookie, query). */
  tokenFromRequest?: boolean;
  range: Range;
}

export function emptyFacts(path: string, language: Language, lineCount: number): FileFacts {
  return { path, language, lineCount, bindings: [], strings: [], imports: [] };
}
