import { describe, expect, it } from 'vitest';
import type { BindingKind, Range, StringBinding, StringLiteral } from '../../../src/model/facts.js';
import { extractPython } from '../../../src/languages/python/extract.js';

/** Range on one line, 1-based columns, `end` just after the literal. */
function r(line: number, column: number, endColumn: number, endLine = line): Range {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

function b(kind: BindingKind, name: string, path: string, value: string, range: Range, context?: string): StringBinding {
  return context === undefined ? { kind, name, path, value, range } : { kind, name, path, value, range, context };
}

function s(value: string, range: Range): StringLiteral {
  return { value, range };
}

async function bindingsOf(source: string): Promise<StringBinding[]> {
  const { facts, syntaxErrors } = await extractPython('app.py', source);
  expect(syntaxErrors).toEqual([]);
  return facts.bindings;
}

async function stringsOf(source: string): Promise<StringLiteral[]> {
  return (await extractPython('app.py', source)).facts.strings;
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('extractPython bindings', () => {
  it('variable: module and function level, annotated, chained; tuple targets skipped', async () => {
    const source = lines(
      `password = 'hunter22'`,
      `DB_PASS: str = "s3cr3t"`,
      `a, b = 'x', 'y'`,
      `x = y = r'\\d'`,
      `def f():`,
      `    token = u'''tok'''`,
      `    (pin := 'p1')`,
    );
    expect(await bindingsOf(source)).toEqual([
      b('variable', 'password', 'password', 'hunter22', r(1, 12, 22)),
      b('variable', 'DB_PASS', 'DB_PASS', 's3cr3t', r(2, 16, 24)),
      b('variable', 'x', 'x', '\\d', r(4, 9, 14)),
      b('variable', 'y', 'y', '\\d', r(4, 9, 14)),
      b('variable', 'token', 'token', 'tok', r(6, 13, 23)),
      b('variable', 'pin', 'pin', 'p1', r(7, 13, 17)),
    ]);
  });

  it('assignment: attributes and string-keyed subscripts; non-literal keys skipped', async () => {
    const source = lines(
      `self.password = 'a'`,
      `obj.secret_key = "b"`,
      `app.config['SECRET_KEY'] = 'c'`,
      `os.environ["X"] = 'd'`,
      `settings["db"]["password"] = 'e'`,
      `items[0].token = 'f'`,
      `items[0] = 'g'`,
      `items[key] = 'h'`,
    );
    expect(await bindingsOf(source)).toEqual([
      b('assignment', 'password', 'self.password', 'a', r(1, 17, 20)),
      b('assignment', 'secret_key', 'obj.secret_key', 'b', r(2, 18, 21)),
      b('assignment', 'SECRET_KEY', 'app.config.SECRET_KEY', 'c', r(3, 28, 31)),
      b('assignment', 'X', 'os.environ.X', 'd', r(4, 19, 22)),
      b('assignment', 'password', 'settings.db.password', 'e', r(5, 30, 33)),
      b('assignment', 'token', 'items[0].token', 'f', r(6, 18, 21)),
    ]);
  });

  it('class-field: assignments in a class body, not in its methods; the class is their context', async () => {
    const source = lines(
      `class Config:`,
      `    SECRET_KEY = 'dev'`,
      `    API_TOKEN: str = 'tok'`,
      `    def method(self):`,
      `        local = 'x'`,
      `        self.attr = 'y'`,
      `    if DEBUG:`,
      `        DEBUG_KEY = 'z'`,
      `AFTER = 'w'`,
    );
    expect(await bindingsOf(source)).toEqual([
      b('class-field', 'SECRET_KEY', 'SECRET_KEY', 'dev', r(2, 18, 23), 'Config'),
      b('class-field', 'API_TOKEN', 'API_TOKEN', 'tok', r(3, 22, 27), 'Config'),
      b('variable', 'local', 'local', 'x', r(5, 17, 20)),
      b('assignment', 'attr', 'self.attr', 'y', r(6, 21, 24)),
      b('class-field', 'DEBUG_KEY', 'DEBUG_KEY', 'z', r(8, 21, 24), 'Config'),
      b('variable', 'AFTER', 'AFTER', 'w', r(9, 9, 12)),
    ]);
  });

  it('keyword-argument: each sample of an examples=[…] list is bound to the keyword; other lists are not', async () => {
    const source = lines(`Field(examples=['a', 'b'], default='c')`, `f(values=['d'])`);
    expect(await bindingsOf(source)).toEqual([
      b('keyword-argument', 'examples', 'examples', 'a', r(1, 17, 20), 'Field'),
      b('keyword-argument', 'examples', 'examples', 'b', r(1, 22, 25), 'Field'),
      b('keyword-argument', 'default', 'default', 'c', r(1, 36, 39), 'Field'),
    ]);
  });

  it('property: dict entries with string keys, path through nesting, callee as context', async () => {
    const source = lines(
      `DATABASES = {'default': {'PASSWORD': 'pw', 'PORT': 5432}}`,
      `conf = {"user": 'u', KEY: 'v', 'nested': {'token': 't'}}`,
      `app.config.update({'SECRET_KEY': 'sk'})`,
      `create_engine(url, connect_args={'password': 'p'})`,
    );
    expect(await bindingsOf(source)).toEqual([
      b('property', 'PASSWORD', 'DATABASES.default.PASSWORD', 'pw', r(1, 38, 42)),
      b('property', 'user', 'conf.user', 'u', r(2, 17, 20)),
      b('property', 'token', 'conf.nested.token', 't', r(2, 52, 55)),
      b('property', 'SECRET_KEY', 'SECRET_KEY', 'sk', r(3, 34, 38), 'app.config.update'),
      b('property', 'password', 'connect_args.password', 'p', r(4, 46, 49), 'create_engine'),
    ]);
  });

  it('keyword-argument: name and callee; dict(k=…) too; interpolated f-strings skipped', async () => {
    const source = lines(`conn = psycopg2.connect(user='u', password='pw')`, `d = dict(password="x")`, `client(token=f'abc', other=f'{x}')`);
    expect(await bindingsOf(source)).toEqual([
      b('keyword-argument', 'user', 'user', 'u', r(1, 30, 33), 'psycopg2.connect'),
      b('keyword-argument', 'password', 'password', 'pw', r(1, 44, 48), 'psycopg2.connect'),
      b('keyword-argument', 'password', 'password', 'x', r(2, 19, 22), 'dict'),
      b('keyword-argument', 'token', 'token', 'abc', r(3, 14, 20), 'client'),
    ]);
  });

  it('parameter-default: plain, typed, keyword-only, lambda', async () => {
    const source = lines(`def connect(host, password='pw', *, token: str = "t", port=5432):`, `    pass`, `check = lambda secret='s': secret`);
    expect(await bindingsOf(source)).toEqual([
      b('parameter-default', 'password', 'password', 'pw', r(1, 28, 32)),
      b('parameter-default', 'token', 'token', 't', r(1, 50, 53)),
      b('parameter-default', 'secret', 'secret', 's', r(3, 23, 26)),
    ]);
  });

  it('comparison: == and != either way round, names from identifiers, attributes and subscripts', async () => {
    const source = lines(
      `if password == 'letmein':`,
      `    pass`,
      `if 'admin' != user.role:`,
      `    pass`,
      `ok = request.form['token'] == "t" and a < 'b'`,
      `if x == y == 'z': pass`,
    );
    expect(await bindingsOf(source)).toEqual([
      b('comparison', 'password', 'password', 'letmein', r(1, 16, 25)),
      b('comparison', 'role', 'user.role', 'admin', r(3, 4, 11)),
      b('comparison', 'token', 'request.form.token', 't', r(5, 31, 34)),
      b('comparison', 'y', 'y', 'z', r(6, 14, 17)),
    ]);
  });

  it('env-fallback: os.environ.get, getenv, decouple, django-environ, `or`; no variable binding beside it', async () => {
    const source = lines(
      `import os`,
      `SECRET_KEY = os.environ.get('SECRET_KEY', 'dev-key')`,
      `DB = os.getenv("DB_PASS", default='pw')`,
      `A = environ.get('A', 'a')`,
      `B = getenv('B', default='b')`,
      `C = config('C', default='c', cast=str)`,
      `D = env('D', default='d')`,
      `E = env.str('E', 'e')`,
      `F = os.getenv('F') or 'f'`,
      `G = os.environ.get(name, 'g')`,
      `H = os.environ.get('H')`,
    );
    expect(await bindingsOf(source)).toEqual([
      b('env-fallback', 'SECRET_KEY', 'SECRET_KEY', 'dev-key', r(2, 43, 52), 'SECRET_KEY'),
      b('env-fallback', 'DB_PASS', 'DB_PASS', 'pw', r(3, 35, 39), 'DB_PASS'),
      b('env-fallback', 'A', 'A', 'a', r(4, 22, 25), 'A'),
      b('env-fallback', 'B', 'B', 'b', r(5, 25, 28), 'B'),
      b('env-fallback', 'C', 'C', 'c', r(6, 25, 28), 'C'),
      b('env-fallback', 'D', 'D', 'd', r(7, 22, 25), 'D'),
      b('env-fallback', 'E', 'E', 'e', r(8, 18, 21), 'E'),
      b('env-fallback', 'F', 'F', 'f', r(9, 23, 26), 'F'),
    ]);
  });

  it('argument: positional secrets of known APIs (model/secret-arguments)', async () => {
    const source = lines(`token = jwt.encode(payload, 'jwt-key', algorithm='HS256')`, `f = Fernet(b'key')`);
    expect(await bindingsOf(source)).toEqual([
      b('argument', 'jwt_secret', 'jwt_secret', 'jwt-key', r(1, 29, 38), 'jwt.encode'),
      b('keyword-argument', 'algorithm', 'algorithm', 'HS256', r(1, 50, 57), 'jwt.encode'),
      b('argument', 'encryption_key', 'encryption_key', 'key', r(2, 12, 18), 'Fernet'),
    ]);
  });

  it('decodes values: escapes, implicit concatenation, parentheses, triple quotes', async () => {
    const source = lines(`a = 'tab\\there\\x41\\u00e9'`, `b = ('part1'`, `     "part2")  # comment`, `c = """multi`, `line"""`, `d = f'{{literal}}'`);
    expect(await bindingsOf(source)).toEqual([
      b('variable', 'a', 'a', 'tab\there\u0041\u00e9', r(1, 5, 26)),
      b('variable', 'b', 'b', 'part1part2', r(2, 6, 13, 3)),
      b('variable', 'c', 'c', 'multi\nline', r(4, 5, 8, 5)),
      b('variable', 'd', 'd', '{literal}', r(6, 5, 19)),
    ]);
  });
});

describe('extractPython strings', () => {
  it('keeps literals of 8+ characters (bytes, f-string text, concatenations) and drops docstrings', async () => {
    const source = lines(
      `"""Module docstring that is long."""`,
      `# comment`,
      `API = 'AKIAABCDEFGHIJKLMNOP'`,
      `short = 'tiny'`,
      `class A:`,
      `    # leading comment`,
      `    'Class docstring long enough'`,
      `    x = b'\\x00bytes-long'`,
      `def f():`,
      `    """Function docstring long."""`,
      `    return f"prefix-{x}-suffix-long" + ('concat' 'enated')`,
      `'not a docstring - second statement'`,
    );
    expect(await stringsOf(source)).toEqual([
      s('AKIAABCDEFGHIJKLMNOP', r(3, 7, 29)),
      s('\u0000bytes-long', r(8, 9, 26)),
      s('-suffix-long', r(11, 24, 36)),
      s('concatenated', r(11, 41, 58)),
      s('not a docstring - second statement', r(12, 1, 37)),
    ]);
  });

  it('finds strings inside f-string interpolations', async () => {
    expect(await stringsOf(`msg = f"{lookup['a-long-key-here']}"\n`)).toEqual([s('a-long-key-here', r(1, 17, 34))]);
  });
});

describe('extractPython positions and recovery', () => {
  it('counts columns in UTF-16 code units after non-ASCII text', async () => {
    const source = lines(`name = 'é😀'; password = 'hunter22'`, `x = ('🎉', 'abcdefghij')`);
    const { facts } = await extractPython('app.py', source);
    expect(facts.bindings).toEqual([b('variable', 'name', 'name', 'é😀', r(1, 8, 13)), b('variable', 'password', 'password', 'hunter22', r(1, 26, 36))]);
    expect(facts.strings).toEqual([s('hunter22', r(1, 26, 36)), s('abcdefghij', r(2, 12, 24))]);
  });

  it('still extracts around a syntax error and reports where it is', async () => {
    const source = lines(`before = 'one'`, `def broken(:`, `    pass`, `after = 'two'`);
    const { facts, syntaxErrors } = await extractPython('app.py', source);
    expect(facts.bindings).toEqual([b('variable', 'before', 'before', 'one', r(1, 10, 15)), b('variable', 'after', 'after', 'two', r(4, 9, 14))]);
    expect(syntaxErrors).toEqual([{ message: 'missing ")"', line: 2, column: 12 }]);
  });

  it('reports an invalid token as a syntax error', async () => {
    const { facts, syntaxErrors } = await extractPython('app.py', lines(`x = 'ok'`, `if x == :`, `    pass`));
    expect(facts.bindings).toEqual([b('variable', 'x', 'x', 'ok', r(1, 5, 9))]);
    expect(syntaxErrors).toEqual([{ message: 'invalid syntax', line: 2, column: 6 }]);
  });

  it('handles an empty file', async () => {
    expect(await extractPython('empty.py', '')).toEqual({
      facts: { path: 'empty.py', language: 'python', lineCount: 0, bindings: [], strings: [], imports: [] },
      syntaxErrors: [],
      faults: [],
    });
  });

  it('handles a file with only comments', async () => {
    expect(await extractPython('c.py', '# one\n# two\n')).toEqual({
      facts: { path: 'c.py', language: 'python', lineCount: 2, bindings: [], strings: [], imports: [] },
      syntaxErrors: [],
      faults: [],
    });
  });
});
