import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/engine/extract.js';
import type { FileFacts, Language } from '../../src/model/facts.js';
import { builtString, mergeTaint, sinkAccepts, sourceTaint, withStep } from '../../src/flow/taint.js';
import { resolveFlows } from '../../src/flow/resolve.js';

async function facts(path: string, text: string): Promise<FileFacts> {
  const language: Language = path.endsWith('.py') ? 'python' : path.endsWith('.ts') ? 'typescript' : 'javascript';
  const { facts: f, errors } = await extractFacts({ path, language, text });
  expect(errors).toEqual([]);
  return f!;
}

/** `source → sink callee @line` plus the step labels: a failure shows which flow differs and how. */
async function flowsOf(files: Record<string, string>): Promise<string[]> {
  const all = await Promise.all(Object.entries(files).map(([p, t]) => facts(p, t)));
  return resolveFlows(all).map((f) => `${f.source} → ${f.sink} ${f.callee} @${f.path}:${f.range.start.line} [${f.steps.map((s) => s.label).join(' | ')}]`);
}

const step = (line: number, label: string) => ({ line, column: 1, label });

describe('taint values', () => {
  it('string building with SQL text makes a SQL-built taint; a literal start fixes the prefix', () => {
    const t = sourceTaint('req.query.id', step(1, 'req.query.id'), true);
    const sql = builtString(t, 'SELECT * FROM t WHERE id = ', true);
    expect({ built: sql.built, sqlText: sql.sqlText, fixedPrefix: sql.fixedPrefix, object: sql.object }).toEqual({
      built: true,
      sqlText: true,
      fixedPrefix: true,
      object: false,
    });
    expect(sinkAccepts('sql-built', sql)).toBe(true);
    expect(sinkAccepts('sql-built', t)).toBe(false);
    expect(sinkAccepts('no-fixed-prefix', sql)).toBe(false);
    expect(sinkAccepts('object', t)).toBe(true);
  });

  it('merging keeps both origins and withStep appends to each path', () => {
    const a = sourceTaint('req.query.a', step(1, 'a'), false);
    const b = sourceTaint('req.query.b', step(2, 'b'), false);
    const merged = withStep(mergeTaint(a, b)!, step(3, 'sql'));
    expect(merged.paths.map((p) => `${p.origin}: ${p.steps.map((s) => s.label).join(' > ')}`)).toEqual([
      'src:req.query.a: a > sql',
      'src:req.query.b: b > sql',
    ]);
  });

  it('keeps paths short: first two and last steps', () => {
    let t = sourceTaint('req.body', step(1, 's0'), true);
    for (let i = 1; i <= 12; i++) t = withStep(t, step(i + 1, `s${i}`));
    expect(t.paths[0]!.steps.map((s) => s.label)).toEqual(['s0', 's1', 's7', 's8', 's9', 's10', 's11', 's12']);
  });
});

describe('JavaScript flows', () => {
  it('follows variables, object fields and template strings to the sink', async () => {
    expect(
      await flowsOf({
        'app.js': [
          "app.get('/u', (req, res) => {",
          '  const filter = { name: req.query.name };',
          "  const sql = `SELECT * FROM users WHERE name = '${filter.name}'`;",
          '  db.query(sql);',
          '});',
        ].join('\n'),
      }),
    ).toEqual(['req.query.name → sql db.query @app.js:4 [req.query.name | filter | sql | db.query(…)]']);
  });

  it('follows a helper that calls a helper that reaches the sink (two levels of summaries)', async () => {
    expect(
      await flowsOf({
        'app.js': [
          'function run(sql) { return pool.query(sql); }',
          "function byName(name) { return run('SELECT * FROM t WHERE name = ' + name); }",
          "app.get('/u', (req, res) => byName(req.query.name));",
        ].join('\n'),
      }),
    ).toEqual([
      "req.query.name → sql pool.query @app.js:1 [req.query.name | byName(req.query.name) | name | run('SELECT * FROM t WHERE name = ' + name) | sql | pool.query(…)]",
    ]);
  });

  it("crosses into a relative import through the other file's summary", async () => {
    expect(
      await flowsOf({
        'routes.js': "const users = require('./users');\napp.get('/u/:id', (req, res) => users.remove(req.params.id));",
        'users.js': 'exports.remove = (id) => pool.query(`DELETE FROM users WHERE id = ${id}`);',
      }),
    ).toEqual(['req.params.id → sql pool.query @users.js:1 [req.params.id | users.remove(…) | id | pool.query(…)]']);
  });

  it("decides a helper's SQL sink at the caller when the caller builds the SQL, also across files", async () => {
    expect(
      await flowsOf({
        'routes.js': [
          "const { run } = require('./db');",
          "app.get('/a', (req, res) => run('SELECT * FROM t WHERE a = ' + req.query.a));",
          "app.get('/b', (req, res) => run('SELECT * FROM t WHERE b = $1', [req.query.b]));",
        ].join('\n'),
        'db.js': 'exports.run = (sql, values) => pool.query(sql, values);',
      }),
    ).toEqual(['req.query.a → sql pool.query @db.js:1 [req.query.a | run(…) | sql | pool.query(…)]']);
  });

  it('stops at casts, schema validation, parameterised queries and allow-lists', async () => {
    expect(
      await flowsOf({
        'app.js': [
          "app.get('/u', (req, res) => {",
          "  pool.query('SELECT * FROM t WHERE id = ' + Number(req.query.id));",
          '  const { q } = Schema.parse(req.query);',
          "  pool.query('SELECT * FROM t WHERE q = ' + q);",
          "  pool.query('SELECT * FROM t WHERE id = $1', [req.query.id]);",
          '  const sort = req.query.sort;',
          "  if (!['asc', 'desc'].includes(sort)) return;",
          "  pool.query('SELECT * FROM t ORDER BY id ' + sort);",
          '});',
        ].join('\n'),
      }),
    ).toEqual([]);
  });
});

describe('Python flows', () => {
  it('follows % formatting, f-strings and .format through a local helper', async () => {
    expect(
      await flowsOf({
        'app.py': [
          'from flask import request',
          'def find(name):',
          '    q = "SELECT * FROM t WHERE name = \'{}\'".format(name)',
          '    return cursor.execute(q)',
          "@app.route('/u')",
          'def user():',
          "    term = request.args.get('q')",
          '    find(term)',
          '    cursor.execute(f"SELECT * FROM t WHERE a = {term}")',
          '    cursor.execute("SELECT * FROM t WHERE b = %s" % int(term))',
        ].join('\n'),
      }),
    ).toEqual([
      "request.args.get('q') → sql cursor.execute @app.py:4 [request.args.get('q') | term | find(term) | name | q | cursor.execute(…)]",
      "request.args.get('q') → sql cursor.execute @app.py:9 [request.args.get('q') | term | cursor.execute(…)]",
    ]);
  });

  it('treats FastAPI str parameters as request data and pydantic/int parameters as validated', async () => {
    expect(
      await flowsOf({
        'main.py': [
          '@app.get("/a")',
          'def a(name: str, n: int, body: Item):',
          '    os.system("echo " + name)',
          '    os.system("echo " + str(n))',
          '    os.system("echo " + body.name)',
        ].join('\n'),
      }),
    ).toEqual(['name: str → command os.system @main.py:3 [name: str | os.system(…)]']);
  });
});

describe('error exposures', () => {
  it('records error details sent to clients and debug settings, with their development-only guard', async () => {
    const js = await facts(
      'app.js',
      [
        'app.use((err, req, res, next) => res.status(500).json({ stack: err.stack }));',
        "if (process.env.NODE_ENV === 'development') app.use(errorhandler());",
        "const errorhandler = require('errorhandler');",
      ].join('\n'),
    );
    const py = await facts('app.py', ['try:', '    pass', 'except Exception as e:', '    resp = jsonify(error=str(e))', 'app.run(debug=True)'].join('\n'));
    const describeAll = (f: FileFacts) =>
      (f.errorExposures ?? []).map((e) => `${e.kind} ${e.what} via ${e.via} @${e.range.start.line}${e.devOnly ? ' (dev only)' : ''}`);
    expect(describeAll(js)).toEqual(['error-response err.stack via res.json @1', 'debug-mode errorhandler() stack-trace pages via errorhandler @2 (dev only)']);
    expect(describeAll(py)).toEqual(['error-response str(e) via jsonify @4', 'debug-mode debug=True via app.run @5']);
  });
});
