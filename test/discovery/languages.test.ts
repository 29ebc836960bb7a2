import { describe, expect, it } from 'vitest';
import { defaultFileExclusion, headRulesOutMinified, looksMinified } from '../../src/discovery/default-excludes.js';
import { compileGlobs, couldIncludeBelow, matchingGlob } from '../../src/discovery/globs.js';
import { rebasePattern } from '../../src/discovery/ignore-rules.js';
import { detectLanguage } from '../../src/discovery/languages.js';
import type { Language } from '../../src/model/facts.js';

/** Compares whole tables so a failure lists every sample that differs, not just the first. */
function expectTable<T>(samples: Record<string, T>, actual: (input: string) => T): void {
  const got = Object.fromEntries(Object.keys(samples).map((input) => [input, actual(input)]));
  expect(got).toEqual(samples);
}

describe('detectLanguage', () => {
  it('detects scanned languages', () => {
    expectTable<Language | null>(
      {
        'app.js': 'javascript',
        'App.jsx': 'javascript',
        'server.mjs': 'javascript',
        'config.cjs': 'javascript',
        'src/index.ts': 'typescript',
        'app.test.ts': 'typescript',
        'Page.tsx': 'typescript',
        'mod.mts': 'typescript',
        'mod.cts': 'typescript',
        'types.d.ts': 'typescript', // a language; discovery excludes declarations by default
        'jquery.min.js': 'javascript', // likewise excluded by default, not by language
        'manage.py': 'python',
        'pkg\\win.py': 'python',
        'a\\.js': 'javascript', // a backslash in a POSIX name hides nothing
        'dir/x\\.py': 'python',
        '.env': 'config',
        '.env.production': 'config',
        '.env.example': 'config',
        'deploy/prod.env': 'config',
        'docker-compose.yml': 'config',
        'docker-compose.override.yaml': 'config',
        '.github/workflows/ci.yml': 'config',
        'config.json': 'config',
        'package.json': 'config',
        'setup.cfg': 'config',
        'php.ini': 'config',
        'nginx.conf': 'config',
        'application.properties': 'config',
        'pyproject.toml': 'config',
        Dockerfile: 'config',
        'Dockerfile.prod': 'config',
        'api.dockerfile': 'config',
        'docker/dockerfile': 'config',
        '.npmrc': 'config',
        '.pypirc': 'config',
        '.netrc': 'config',
      },
      detectLanguage,
    );
  });

  it('returns null for lockfiles and binary formats, and `text` (the provider-pattern pass) for every other file', () => {
    expectTable<Language | null>(
      {
        'README.md': 'text',
        'package-lock.json': null,
        'npm-shrinkwrap.json': null,
        'pnpm-lock.yaml': null,
        'yarn.lock': null,
        'poetry.lock': null,
        'Pipfile.lock': null,
        'go.sum': null,
        Makefile: 'text',
        'stubs.pyi': 'text',
        'module.pyc': null,
        'logo.png': null,
        'font.woff2': null,
        'bundle.zip': null,
        '.gitignore': 'text',
        '.eslintrc': 'text',
        '.environment': 'text',
        envfile: 'text',
        id_rsa: 'text',
        'server.key': 'text',
        'main.go': 'text',
        'Index.PHP': 'text',
        'main.tf': 'text',
        'Dockerfile-old': 'text',
        'styles.css': 'text',
        'app.js.map': 'text',
        '.git': null,
        'src/': null,
      },
      detectLanguage,
    );
  });
});

describe('default file exclusions', () => {
  it('names lockfiles, declarations, minified bundles and source maps, and nothing else', () => {
    expectTable<string | null>(
      {
        'package-lock.json': 'default: lockfile',
        'yarn.lock': 'default: lockfile',
        'pnpm-lock.yaml': 'default: lockfile',
        'Cargo.lock': 'default: lockfile',
        'go.sum': 'default: lockfile',
        'index.d.ts': 'default: type declaration',
        'index.d.mts': 'default: type declaration',
        'vue.min.js': 'default: minified',
        'vue.min.mjs': 'default: minified',
        'vue-min.js': 'default: minified',
        'main.bundle.js': 'default: minified',
        'main.js.map': 'default: source map',
        'site.css.map': 'default: source map',
        'index.ts': null,
        'd.ts': null,
        'admin.js': null,
        'minify.js': null,
        'bundle.js': null,
        'sitemap.js': null,
        'world.map': null,
        'lock.json': null,
        'package.json': null,
      },
      defaultFileExclusion,
    );
  });
});

describe('looksMinified', () => {
  const minified = looksMinified;
  const packed = 'var a=1;'.repeat(600);
  it('flags whole files of packed lines, comments and bundle frames', () => {
    expect(minified(packed)).toBe(true);
    expect(minified(`/*! v1.2 | MIT */\n${packed}`)).toBe(true);
    expect(minified(`${'// license line\n'.repeat(8)}${'f(a,b);'.repeat(600)}`)).toBe(true);
    // A long license banner no longer hides the bundle below it: the whole file is judged, not its first 4 KB.
    expect(minified(`${'// license line\n'.repeat(30)}${'f(a,b);'.repeat(600)}`)).toBe(true);
    expect(minified(`/*!\n * Bootstrap v5\n * Licensed MIT\n */\n"use strict";\n${packed}\n${packed}\n//# sourceMappingURL=app.js.map\n`)).toBe(true);
    expect(minified(`(function (root, factory) {\n${packed}\n})(this);\n`)).toBe(true);
    expect(minified(`(() => {\n${packed}\n})();\n`)).toBe(true);
  });
  it('keeps hand-written code, even with one long line, and small files', () => {
    expect(minified('const a = 1;\n'.repeat(400))).toBe(false);
    expect(minified(`const img = '${'A'.repeat(2000)}';\n${'call(a, b);\n'.repeat(150)}`)).toBe(false);
    expect(minified('var a=1;'.repeat(100))).toBe(false);
  });
  it('scans a file whose long first line is followed by even one ordinary line of code (issue 12)', () => {
    // Before: a 1000-character line in the first 4 KB with few newlines was enough to skip the whole file.
    expect(minified(`/* ${'x'.repeat(4000)} */ var pad=1;${'x'.repeat(100)}\nconst key = 'AKIA';\n`)).toBe(false);
    expect(minified(`${'x'.repeat(5000)}\nconst key = 'AKIA';\n`)).toBe(false);
    expect(minified(`${packed}\n/*! banner */ fetch(url);\n`)).toBe(false);
    expect(minified(`${packed}\n${packed}\nmodule.exports = require('./secret');\n`)).toBe(false);
  });
  it('scans a file whose packed line leaves a template literal or string open (text that only looks like comments)', () => {
    expect(minified(`const pad = \`${'x'.repeat(2000)}\n/*\n\`; const key = 'AKIA'; /*\n*/\n`)).toBe(false);
    expect(minified(`const pad = '${'x'.repeat(2000)}\\\n/*\n'; const key = 'AKIA'; /*\n*/\n`)).toBe(false);
  });
  it('looks at the head only to rule a bundle out', () => {
    expect(headRulesOutMinified(`${'// license\n'.repeat(10)}const a = 1;\n`, true)).toBe(true);
    expect(headRulesOutMinified(`${'// license\n'.repeat(10)}${'var a=1;'.repeat(900)}`, true)).toBe(false);
    // The unfinished last line of a truncated head decides nothing.
    expect(headRulesOutMinified(`${'// license\n'.repeat(10)}var a=1;`, true)).toBe(false);
    expect(headRulesOutMinified(`${'// license\n'.repeat(10)}var a=1;`, false)).toBe(true);
  });
  it('stays linear on long lines of punctuation (no backtracking in the frame patterns)', () => {
    const started = performance.now();
    expect(minified(`${packed}\n${`${'('.repeat(990)}x\n`.repeat(300)}`)).toBe(false);
    expect(minified(`${packed}\n${`${'( '.repeat(495)}thisx\n`.repeat(300)}`)).toBe(false);
    expect(minified(`${packed}\n${`function ${' '.repeat(980)}a\n`.repeat(300)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('rebasePattern', () => {
  it('rewrites ignore lines from a nested file relative to the repo root', () => {
    const inSub = (line: string) => rebasePattern(line, 'pkg/a b');
    expectTable<string | null>(
      {
        '*.log': 'pkg/a\\ b/**/*.log',
        'build/': 'pkg/a\\ b/**/build/',
        '/top.js': 'pkg/a\\ b/top.js',
        'src/gen.ts': 'pkg/a\\ b/src/gen.ts',
        '**/tmp': 'pkg/a\\ b/**/tmp',
        '!keep.log': '!pkg/a\\ b/**/keep.log',
        '!/src/keep.ts': '!pkg/a\\ b/src/keep.ts',
        'trailing.ts   ': 'pkg/a\\ b/**/trailing.ts',
        '\\#hash': 'pkg/a\\ b/**/\\#hash',
        '# comment': null,
        '': null,
        '   ': null,
        '!': null,
      },
      inSub,
    );
    expect(rebasePattern('[a-z]*.py', 'x[1]')).toBe('x\\[1\\]/**/[a-z]*.py');
    expect(rebasePattern('/top.js', '')).toBe('/top.js');
  });
});

describe('user globs', () => {
  it('matches repo-relative paths, names at any depth, and directory-only patterns', () => {
    const rules = compileGlobs(['tests/**', '*.spec.ts', 'legacy/', '/scripts', 'src/**/fixtures', '']);
    const match = (spec: string) => {
      const isDir = spec.endsWith('/');
      return matchingGlob(rules, isDir ? spec.slice(0, -1) : spec, isDir)?.pattern ?? null;
    };
    expectTable<string | null>(
      {
        'tests/': 'tests/**',
        'tests/unit/a.py': 'tests/**',
        'src/tests/': null,
        'a.spec.ts': '*.spec.ts',
        'src/deep/a.spec.ts': '*.spec.ts',
        'src/a.ts': null,
        'legacy/': 'legacy/',
        'src/legacy/': 'legacy/',
        legacy: null,
        'scripts/': '/scripts',
        'src/scripts/': null,
        'src/fixtures/': 'src/**/fixtures',
        'src/a/b/fixtures/': 'src/**/fixtures',
        '.hidden/tests/': null,
      },
      match,
    );
  });

  it('tells which folders an include can reach', () => {
    const rules = compileGlobs(['src/**', 'packages/*/lib/**', 'docs/guide.md']);
    expectTable<boolean>(
      { src: true, 'src/a/b': true, packages: true, 'packages/x/test': true, docs: true, 'docs/img': false, test: false, srcs: false },
      (dir) => couldIncludeBelow(rules, dir),
    );
    expect(couldIncludeBelow(compileGlobs(['*.py']), 'anything')).toBe(true);
    expect(couldIncludeBelow(compileGlobs(['**/*.ts']), 'anything')).toBe(true);
    expect(couldIncludeBelow([], 'anything')).toBe(true);
  });
});
