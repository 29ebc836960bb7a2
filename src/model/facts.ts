/**
 * The facts model: plain, serialisable data extracted from one file. Rules read these (through the project
 * model), never an AST, so a new language is a new extractor and no rule changes. Positions are 1-based;
 * the language layer converts its parser's positions once.
 */

export type Language = 'javascript' | 'typescript' | 'python' | 'config';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units like editors and SARIF do. */
  column: number;
}

export interface Range {
  start: Position;
  /** The position just after the last character. */
  end: Position;
}

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

export interface FileFacts {
  /** Repo-root-relative POSIX path. */
  path: string;
  language: Language;
  lineCount: number;
  /** Name-to-literal bindings (see BindingKind). */
  bindings: StringBinding[];
  /**
   * String literals (and template-literal text, and config values) long enough to hold a credential.
   * Provider-format detectors read these; literals already in `bindings` appear here too.
   */
  strings: StringLiteral[];
  imports: ImportFact[];
  // Feature facts: each feature extractor adds its own optional field below.
}

export function emptyFacts(path: string, language: Language, lineCount: number): FileFacts {
  return { path, language, lineCount, bindings: [], strings: [], imports: [] };
}
