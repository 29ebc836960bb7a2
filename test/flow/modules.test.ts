import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/engine/extract.js';
import { ModuleResolver, JS_EXTENSIONS } from '../../src/flow/modules.js';
import { readTsconfig, type TsconfigFact } from '../../src/flow/tsconfig.js';
import { resolveFlows } from '../../src/flow/resolve.js';
import { emptyFacts, type FileFacts, type Language } from '../../src/model/facts.js';
import type { JsRoutes } from '../../src/model/js-routes.js';
import { resolveJsEndpoints } from '../../src/languages/javascript/frameworks/resolve.js';

function language(path: string): Language {
  if (path.endsWith('.py')) return 'python';
  if (/\.[cm]?tsx?$/.test(path)) return 'typescript';
  if (/\.[cm]?jsx?$/.test(path)) return 'javascript';
  return 'config';
}

/** A project of empty files; `extra` adds facts (a tsconfig fact, re-exports) to some of them. */
function project(paths: string[], extra: Record<string, Partial<FileFacts>> = {}): ModuleResolver {
  return new ModuleResolver(paths.map((p) => ({ ...emptyFacts(p, language(p), 1), ...extra[p] })));
}

const tsconfig = (fact: TsconfigFact): Partial<FileFacts> => ({ tsconfig: fact });

describe('JavaScript / TypeScript specifiers', () => {
  it.each(JS_EXTENSIONS.map((ext) => [ext]))('a relative import without extension finds the %s file', (ext) => {
    const r = project([`src/db${ext}`, 'src/routes.ts']);
    expect(r.resolve('src/routes.ts', './db')).toBe(`src/db${ext}`);
  });

  it.each(JS_EXTENSIONS.map((ext) => [ext]))('a folder import finds index%s', (ext) => {
    const r = project([`src/lib/index${ext}`, 'src/routes/users.ts']);
    expect(r.resolve('src/routes/users.ts', '../lib')).toBe(`src/lib/index${ext}`);
  });

  it('prefers the file over the folder, and .ts over .js, in the extension order', () => {
    const r = project(['src/db.js', 'src/db.ts', 'src/db/index.ts', 'src/app.ts']);
    expect(r.resolve('src/app.ts', './db')).toBe('src/db.ts');
    expect(r.candidates('src/app.ts', './db')).toEqual(['src/db.ts', 'src/db.js', 'src/db/index.ts']);
  });

  it.each([
    ['./db.js', 'src/db.ts'],
    ['./view.jsx', 'src/view.tsx'],
    ['./esm.mjs', 'src/esm.mts'],
    ['./cjs.cjs', 'src/cjs.cts'],
    ['./lib/index.js', 'src/lib/index.ts'],
  ])('NodeNext: %s written for the TypeScript file %s', (specifier, expected) => {
    const r = project(['src/app.ts', 'src/db.ts', 'src/view.tsx', 'src/esm.mts', 'src/cjs.cts', 'src/lib/index.ts']);
    expect(r.resolve('src/app.ts', specifier)).toBe(expected);
  });

  it('keeps a .js file that exists as written', () => {
    const r = project(['src/app.ts', 'src/legacy.js', 'src/legacy.ts']);
    expect(r.resolve('src/app.ts', './legacy.js')).toBe('src/legacy.js');
  });

  it('resolves `..` from the importer folder and from the repository root', () => {
    const r = project(['a/b/c.ts', 'a/d.ts', 'e.ts']);
    expect(r.resolve('a/b/c.ts', '../d')).toBe('a/d.ts');
    expect(r.resolve('a/b/c.ts', '../../e')).toBe('e.ts');
    expect(r.resolve('a/b/c.ts', './')).toBeUndefined();
  });

  it('the @/, ~/ and src/ conventions without a tsconfig', () => {
    const r = project(['src/services/user.ts', 'lib/util.ts', 'src/app.ts']);
    expect(r.resolve('src/app.ts', '@/services/user')).toBe('src/services/user.ts');
    expect(r.resolve('src/app.ts', '~/lib/util')).toBe('lib/util.ts');
    expect(r.resolve('src/app.ts', 'src/services/user')).toBe('src/services/user.ts');
  });

  it('unresolvable: packages, missing files, Node built-ins', () => {
    const r = project(['src/app.ts', 'src/express.ts']);
    expect(r.resolve('src/app.ts', 'express')).toBeUndefined();
    expect(r.resolve('src/app.ts', './missing')).toBeUndefined();
    expect(r.resolve('src/app.ts', 'node:fs')).toBeUndefined();
    expect(r.candidates('src/app.ts', 'express')).toEqual([]);
  });

  it('with suffix matching, a bare specifier names every file ending in that path (the call graph)', () => {
    const r = project(['packages/a/services/user.ts', 'packages/b/services/user.ts', 'app.ts']);
    expect(r.resolve('app.ts', 'services/user')).toBeUndefined();
    expect(r.candidates('app.ts', 'services/user', { suffix: true })).toEqual(['packages/a/services/user.ts', 'packages/b/services/user.ts']);
  });
});

describe('tsconfig / jsconfig aliases', () => {
  it('`paths` with a wildcard, relative to the config file (no baseUrl)', () => {
    const r = project(['server/routes/users.ts', 'app/main.ts', 'tsconfig.json'], { 'tsconfig.json': tsconfig({ paths: { '@server/*': ['./server/*'] } }) });
    expect(r.resolve('app/main.ts', '@server/routes/users')).toBe('server/routes/users.ts');
    expect(r.resolve('app/main.ts', '@server/routes/missing')).toBeUndefined();
    expect(r.resolve('app/main.ts', '@shared/x')).toBeUndefined();
  });

  it('`paths` relative to baseUrl, an exact pattern naming a folder, and baseUrl alone for bare specifiers', () => {
    const r = project(['pkg/src/models/index.ts', 'pkg/src/services/user.ts', 'pkg/src/main.ts', 'pkg/tsconfig.json'], {
      'pkg/tsconfig.json': tsconfig({ baseUrl: './src', paths: { '@models': ['models'] } }),
    });
    expect(r.resolve('pkg/src/main.ts', '@models')).toBe('pkg/src/models/index.ts');
    expect(r.resolve('pkg/src/main.ts', 'services/user')).toBe('pkg/src/services/user.ts');
    expect(r.resolve('pkg/src/main.ts', 'express')).toBeUndefined();
  });

  it('the longest prefix wins; targets are tried in order', () => {
    const r = project(['src/a/x.ts', 'lib/b/x.ts', 'gen/x.ts', 'main.ts', 'tsconfig.json'], {
      'tsconfig.json': tsconfig({ paths: { '@/*': ['src/a/*'], '@/lib/*': ['missing/*', 'lib/b/*'], gen: ['gen/x.ts'] } }),
    });
    expect(r.resolve('main.ts', '@/x')).toBe('src/a/x.ts');
    expect(r.resolve('main.ts', '@/lib/x')).toBe('lib/b/x.ts');
    expect(r.resolve('main.ts', 'gen')).toBe('gen/x.ts');
  });

  it("the nearest config applies; `extends` brings the base config's paths, relative to the base; jsconfig counts", () => {
    const r = project(
      [
        'tsconfig.base.json',
        'shared/util.ts',
        'apps/web/tsconfig.json',
        'apps/web/src/page.ts',
        'apps/api/jsconfig.json',
        'apps/api/lib/db.js',
        'apps/api/index.js',
        'apps/cli/tsconfig.json',
        'apps/cli/main.ts',
      ],
      {
        'tsconfig.base.json': tsconfig({ paths: { '@shared/*': ['shared/*'] } }),
        'apps/web/tsconfig.json': tsconfig({ extends: ['../../tsconfig.base'] }),
        'apps/api/jsconfig.json': tsconfig({ baseUrl: '.', paths: { '#lib/*': ['lib/*'] } }),
      },
    );
    expect(r.resolve('apps/web/src/page.ts', '@shared/util')).toBe('shared/util.ts');
    expect(r.resolve('apps/api/index.js', '#lib/db')).toBe('apps/api/lib/db.js');
    // apps/cli has its own tsconfig without aliases: the root's are not inherited.
    expect(r.resolve('apps/cli/main.ts', '@shared/util')).toBeUndefined();
    expect(r.resolve('apps/api/index.js', '@shared/util')).toBeUndefined();
  });

  it('reads baseUrl, paths and extends from JSONC text', () => {
    const text = [
      '{',
      '  // comment with "quotes"',
      '  "extends": "./tsconfig.base.json",',
      '  "compilerOptions": {',
      '    /* block */ "baseUrl": ".",',
      '    "paths": { "@server/*": ["server/*",], "@/*": ["src/*"], "bad": "x" },',
      '  },',
      '}',
    ].join('\n');
    expect(readTsconfig(text)).toEqual({ extends: ['./tsconfig.base.json'], baseUrl: '.', paths: { '@server/*': ['server/*'], '@/*': ['src/*'] } });
    expect(readTsconfig('{ "extends": ["a", "./b.json"] }')).toEqual({ extends: ['a', './b.json'] });
    expect(readTsconfig('{ "compilerOptions": { "strict": true } }')).toBeUndefined();
    expect(readTsconfig('{ not json')).toBeUndefined();
  });

  // The routes extractor records imports it takes for project files (`.`, `@/`, `~/`, `src/`); `@/` mapped elsewhere.
  it('endpoints: a router mounted through a tsconfig alias gets the mount prefix', async () => {
    const facts = await Promise.all(
      Object.entries({
        'app/main.ts': [
          "import express from 'express';",
          "import users from '@/routes/users';",
          'const app = express();',
          "app.use('/api/users', users);",
        ].join('\n'),
        'server/routes/users.ts': [
          "import { Router } from 'express';",
          'const router = Router();',
          "router.get('/:id', (req, res) => res.send('x'));",
          'export default router;',
        ].join('\n'),
      }).map(async ([path, text]) => (await extractFacts({ path, language: 'typescript', text })).facts!),
    );
    const show = (e: { path: string; unmounted?: boolean }) => `${e.path}${e.unmounted ? ' unmounted' : ''}`;
    const withoutAlias = resolveJsEndpoints(facts).endpoints.map(show);
    const tsconfigFacts = { ...emptyFacts('tsconfig.json', 'config', 1), tsconfig: { paths: { '@/*': ['server/*'] } } };
    const withAlias = resolveJsEndpoints([...facts, tsconfigFacts]).endpoints.map(show);
    expect(withoutAlias).toEqual(['/:id unmounted']); // `@/routes/users` is not src/routes/users.ts
    expect(withAlias).toEqual(['/api/users/:id']);
  });
});

describe('barrel re-exports', () => {
  const routes = (reexports: JsRoutes['reexports']): Partial<FileFacts> => ({ jsRoutes: { scopes: [], uses: [], routes: [], functions: [], reexports } });
  const defines = (file: string, name: string) => (f: FileFacts, n: string) => (f.path === file && n === name ? `${f.path}#${n}` : undefined);

  it('follows `export * from` and `export { a as b } from` to the defining file', () => {
    const r = project(['src/app.ts', 'src/api/index.ts', 'src/api/users.ts', 'src/api/docs.ts'], {
      'src/api/index.ts': routes([
        { module: './users.js', imported: '*', exported: '*' },
        { module: './docs', imported: 'default', exported: 'documents' },
      ]),
    });
    expect(r.findExport('src/app.ts', './api', 'listUsers', defines('src/api/users.ts', 'listUsers'))).toBe('src/api/users.ts#listUsers');
    expect(r.findExport('src/app.ts', './api', 'documents', defines('src/api/docs.ts', 'default'))).toBe('src/api/docs.ts#default');
    expect(r.findExport('src/app.ts', './api', 'other', defines('src/api/docs.ts', 'other'))).toBeUndefined();
  });

  it('stops after five hops (a re-export cycle ends)', () => {
    const chain = Array.from({ length: 8 }, (_, i) => `b${i}.ts`);
    const extra = Object.fromEntries(chain.slice(0, -1).map((p, i) => [p, routes([{ module: `./b${i + 1}`, imported: '*', exported: '*' }])]));
    const r = project(['app.ts', ...chain], extra);
    expect(r.findExport('app.ts', './b0', 'x', defines('b5.ts', 'x'))).toBe('b5.ts#x');
    expect(r.findExport('app.ts', './b0', 'x', defines('b6.ts', 'x'))).toBeUndefined();
    const cycle = project(['app.ts', 'a.ts', 'b.ts'], {
      'a.ts': routes([{ module: './b', imported: '*', exported: '*' }]),
      'b.ts': routes([{ module: './a', imported: '*', exported: '*' }]),
    });
    expect(cycle.findExport('app.ts', './a', 'x', defines('c.ts', 'x'))).toBeUndefined();
  });
});

describe('Python modules', () => {
  const r = project([
    'app/__init__.py',
    'app/db.py',
    'app/views.py',
    'app/models/__init__.py',
    'app/models/user.py',
    'app/api/v1/users.py',
    'sqli/dao/student.py',
    'sqli/views.py',
    'src/mypkg/__init__.py',
    'src/mypkg/core.py',
    'tests/test_core.py',
    '__init__.py',
    'main.py',
  ]);

  it.each([
    ['app/views.py', '.db', 'app/db.py'],
    ['app/views.py', '.models', 'app/models/__init__.py'],
    ['app/views.py', '.models.user', 'app/models/user.py'],
    ['app/models/__init__.py', '.user', 'app/models/user.py'],
    ['app/api/v1/users.py', '...db', 'app/db.py'],
    ['app/api/v1/users.py', '...models', 'app/models/__init__.py'],
    ['app/views.py', '.', 'app/__init__.py'],
    ['main.py', '.', '__init__.py'],
    ['sqli/views.py', 'sqli.dao.student', 'sqli/dao/student.py'],
    ['app/api/v1/users.py', 'app.models.user', 'app/models/user.py'],
    ['app/api/v1/users.py', 'app', 'app/__init__.py'],
    ['src/mypkg/core.py', 'mypkg', 'src/mypkg/__init__.py'],
    ['tests/test_core.py', 'mypkg.core', 'src/mypkg/core.py'],
  ])('%s imports %s → %s', (from, module, expected) => {
    expect(r.resolve(from, module)).toBe(expected);
  });

  it.each([
    ['app/views.py', 'flask'],
    ['app/views.py', '.missing'],
    ['app/views.py', 'app.missing'],
    ['tests/test_core.py', 'os.path'],
  ])('%s imports %s → undefined', (from, module) => {
    expect(r.resolve(from, module)).toBeUndefined();
  });

  it('with suffix matching, an absolute module names every file with that dotted path', () => {
    const two = project(['a/app/crud.py', 'b/app/crud/__init__.py', 'main.py']);
    expect(two.resolve('main.py', 'app.crud')).toBe('a/app/crud.py');
    expect(two.candidates('main.py', 'app.crud', { suffix: true })).toEqual(['a/app/crud.py', 'b/app/crud/__init__.py']);
  });

  it('the candidate nearest the importer wins among several source roots', () => {
    const two = project(['svc1/app/db.py', 'svc1/main.py', 'svc2/app/db.py', 'svc2/main.py']);
    expect(two.resolve('svc2/main.py', 'app.db')).toBe('svc2/app/db.py');
    expect(two.resolve('svc1/main.py', 'app.db')).toBe('svc1/app/db.py');
  });
});

describe('data flow across an aliased or conventional import', () => {
  it('an untyped `this.service.method(x)` call finds the summary in a file imported through `@/`', async () => {
    const files = {
      'src/users.controller.ts': [
        "import { UsersService } from '@/users.service';",
        'export class UsersController {',
        '  constructor(private service) {}',
        '  find(req) { return this.service.search(req.query.q); }',
        '}',
      ].join('\n'),
      'src/users.service.ts': ['export class UsersService {', '  search(q) { return db.query(`SELECT * FROM u WHERE n = ${q}`); }', '}'].join('\n'),
    };
    const facts = await Promise.all(Object.entries(files).map(async ([path, text]) => (await extractFacts({ path, language: 'typescript', text })).facts!));
    const calls = facts[0]!.dataFlow?.calls ?? [];
    // The extractor records the call for any import (module '*'); the resolver decides which files it may reach.
    expect(calls.map((c) => c.module)).toEqual(['*']);
    expect(
      resolveFlows(facts)
        .filter((f) => f.crossFile)
        .map((f) => `${f.source} → ${f.path}:${f.range.start.line}`),
    ).toEqual(['req.query.q → src/users.service.ts:2']);
  });
});

describe('tsconfig aliases reach the resolver from a real scan', () => {
  it('the config extractor stores the alias fact of a tsconfig.json', async () => {
    const text = '{\n  // comment\n  "compilerOptions": { "baseUrl": ".", "paths": { "@server/*": ["server/*"] } },\n}\n';
    const { facts } = await extractFacts({ path: 'tsconfig.json', language: 'config', text });
    expect(facts?.tsconfig).toEqual({ baseUrl: '.', paths: { '@server/*': ['server/*'] } });
  });
});
