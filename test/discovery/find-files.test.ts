import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SkippedFile } from '../../src/types.js';
import { findFiles, findRepoRoot, type Discovery, type DiscoveryOptions } from '../../src/discovery/find-files.js';
import { UsageError } from '../../src/errors.js';

const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh temp dir marked as a git repo root by a `.git` *file* (as in worktrees), so it lists nothing. */
function tempRepo(files: Record<string, string | Buffer> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-discovery-'));
  temps.push(root);
  fs.writeFileSync(path.join(root, '.git'), 'gitdir: /nowhere\n');
  write(root, files);
  return root;
}

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

async function scan(root: string, options?: DiscoveryOptions): Promise<Discovery> {
  const result = await findFiles(root, options);
  expect(result.errors).toEqual([]);
  return result;
}

/**
 * Paths of the files scanned by a language-aware plugin. Since issue 15 every other text file is listed too (language
 * `text`, the provider-pattern pass); it walks by the same rules, and `textPaths` and the tests at the end show it.
 */
const paths = (d: Discovery) => d.files.filter((f) => f.language !== 'text').map((f) => f.path);
const textPaths = (d: Discovery) => d.files.filter((f) => f.language === 'text').map((f) => f.path);
const skips = (d: Discovery) => d.skipped.map((s: SkippedFile) => [s.path, s.reason, s.detail ?? ''].join(' | '));

describe('default excludes', () => {
  it('skips dependency, build and cache dirs once, and generated files, but scans look-alikes', async () => {
    const root = tempRepo({
      'src/app.ts': 'export const a = 1;\n',
      'README.md': '# not source, not reported\n',
      'node_modules/lib/index.js': 'x',
      'src/node_modules/lib/index.js': 'x',
      'dist/app.js': 'x',
      'build/app.js': 'x',
      'coverage/lcov.json': '{}',
      '__pycache__/m.py': 'x',
      'vendor/lib.py': 'x',
      '.venv/lib/site.py': 'x',
      'env/pyvenv.cfg': 'home = /usr\n',
      'env/lib/site.py': 'x',
      'tools/pyvenv.cfg': 'home = /usr\n',
      'tools/activate.py': 'x',
      'environment/settings.py': 'DEBUG = True\n',
      '.complianceagent-cache/x.json': '{}',
      'package-lock.json': '{}',
      'pnpm-lock.yaml': 'x: 1\n',
      'yarn.lock': 'x',
      'types.d.ts': 'export declare const a: number;\n',
      'public/jquery.min.js': 'x',
      'public/lib-min.js': 'x',
      'public/app.bundle.js': 'x',
      'public/app.js.map': '{}',
      'public/packed.js': `/*! packed */\n${'var a=1;'.repeat(500)}\n`,
      'src/long-line.js': `const data = '${'x'.repeat(1500)}';\n${'const b = 2;\n'.repeat(100)}`,
    });
    fs.mkdirSync(path.join(root, 'sub/.git'), { recursive: true });
    const result = await scan(root);
    expect(paths(result)).toEqual(['environment/settings.py', 'src/app.ts', 'src/long-line.js']);
    expect(skips(result)).toEqual([
      '.complianceagent-cache/ | excluded | default: .complianceagent-cache',
      '.venv/ | excluded | default: .venv',
      '__pycache__/ | excluded | default: __pycache__',
      'build/ | excluded | default: build',
      'coverage/ | excluded | default: coverage',
      'dist/ | excluded | default: dist',
      'env/ | excluded | default: virtualenv',
      'node_modules/ | excluded | default: node_modules',
      'package-lock.json | excluded | default: lockfile',
      'pnpm-lock.yaml | excluded | default: lockfile',
      'public/app.bundle.js | excluded | default: minified',
      'public/app.js.map | excluded | default: source map',
      'public/jquery.min.js | excluded | default: minified',
      'public/lib-min.js | excluded | default: minified',
      'public/packed.js | excluded | default: minified',
      'src/node_modules/ | excluded | default: node_modules',
      'sub/.git/ | excluded | default: .git',
      'tools/ | excluded | default: virtualenv',
      'types.d.ts | excluded | default: type declaration',
      'vendor/ | excluded | default: vendor',
      'yarn.lock | excluded | default: lockfile',
    ]);
  });

  it('does not exclude the scan root itself', async () => {
    const root = tempRepo({ 'vendor/lib.py': 'x', 'vendor/node_modules/a.js': 'x' });
    const result = await scan(path.join(root, 'vendor'));
    expect(paths(result)).toEqual(['vendor/lib.py']);
    expect(skips(result)).toEqual(['vendor/node_modules/ | excluded | default: node_modules']);
  });
});

describe('ignore files', () => {
  const tree = {
    '.gitignore': ['# comment', '*.gen.ts', '!keep.gen.ts', 'secrets/', '/top-only.js', 'pkg/generated/', ''].join('\n'),
    'a.gen.ts': 'x',
    'keep.gen.ts': 'x',
    'top-only.js': 'x',
    'local.py': 'x',
    'secrets/key.env': 'KEY=1',
    'sub/.gitignore': '!b.gen.ts\nlocal.py\n',
    'sub/b.gen.ts': 'x',
    'sub/c.gen.ts': 'x',
    'sub/local.py': 'x',
    'sub/top-only.js': 'x',
    'pkg/.gitignore': '!generated/\n',
    'pkg/generated/api.ts': 'x',
  };

  it('honours nested .gitignore files like git: deeper files and negations win, rules apply below their dir', async () => {
    const result = await scan(tempRepo(tree));
    expect(paths(result)).toEqual(['keep.gen.ts', 'local.py', 'pkg/generated/api.ts', 'sub/b.gen.ts', 'sub/top-only.js']);
    expect(skips(result)).toEqual([
      'a.gen.ts | ignored | .gitignore: *.gen.ts',
      'secrets/ | ignored | .gitignore: secrets/',
      'sub/c.gen.ts | ignored | .gitignore: *.gen.ts',
      'sub/local.py | ignored | sub/.gitignore: local.py',
      'top-only.js | ignored | .gitignore: /top-only.js',
    ]);
  });

  it('applies .gitignore files above a scanned subfolder, and .git/info/exclude', async () => {
    const root = tempRepo(tree);
    fs.rmSync(path.join(root, '.git'));
    write(root, { '.git/info/exclude': 'notes.py\n', 'sub/notes.py': 'x' });
    const result = await scan(path.join(root, 'sub'));
    expect(result.repoPrefix).toBe('sub');
    expect(paths(result)).toEqual(['sub/b.gen.ts', 'sub/top-only.js']);
    expect(skips(result)).toEqual([
      'sub/c.gen.ts | ignored | .gitignore: *.gen.ts',
      'sub/local.py | ignored | sub/.gitignore: local.py',
      'sub/notes.py | ignored | .git/info/exclude: notes.py',
    ]);
  });

  it('scans an ignored folder named as the root', async () => {
    const root = tempRepo(tree);
    const result = await scan(path.join(root, 'secrets'));
    expect(paths(result)).toEqual(['secrets/key.env']);
  });

  it('honours .complianceagentignore at every level, also with respectGitignore: false', async () => {
    const root = tempRepo({
      ...tree,
      '.complianceagentignore': 'fixtures/\n*.example.py\n',
      'fixtures/leaked.py': 'x',
      'settings.example.py': 'x',
      'sub/.complianceagentignore': 'b.gen.ts\n',
    });
    const withGit = await scan(root);
    expect(skips(withGit)).toContain('fixtures/ | ignored | .complianceagentignore: fixtures/');
    expect(skips(withGit)).toContain('settings.example.py | ignored | .complianceagentignore: *.example.py');
    // The later file at the same level overrides .gitignore's negation.
    expect(skips(withGit)).toContain('sub/b.gen.ts | ignored | sub/.complianceagentignore: b.gen.ts');

    const withoutGit = await scan(root, { respectGitignore: false });
    expect(paths(withoutGit)).toEqual([
      'a.gen.ts',
      'keep.gen.ts',
      'local.py',
      'pkg/generated/api.ts',
      'secrets/key.env',
      'sub/c.gen.ts',
      'sub/local.py',
      'sub/top-only.js',
      'top-only.js',
    ]);
    expect(skips(withoutGit)).toEqual([
      'fixtures/ | ignored | .complianceagentignore: fixtures/',
      'settings.example.py | ignored | .complianceagentignore: *.example.py',
      'sub/b.gen.ts | ignored | sub/.complianceagentignore: b.gen.ts',
    ]);
  });
});

describe('include and exclude globs', () => {
  const tree = {
    'src/app.ts': 'x',
    'src/app.spec.ts': 'x',
    'src/legacy/old.js': 'x',
    'src/generated/api.ts': 'x',
    'tests/test_app.py': 'x',
    'scripts/deploy.py': 'x',
    'config.yml': 'x',
    'package-lock.json': '{}',
  };

  it('scans only included files, reports excluded ones, and lets exclude win', async () => {
    const result = await scan(tempRepo(tree), {
      include: ['src/**', '*.py'],
      exclude: ['**/*.spec.ts', 'src/legacy/', 'generated', 'tests/**'],
    });
    expect(paths(result)).toEqual(['scripts/deploy.py', 'src/app.ts']);
    expect(skips(result)).toEqual([
      'src/app.spec.ts | excluded | exclude: **/*.spec.ts',
      'src/generated/ | excluded | exclude: generated',
      'src/legacy/ | excluded | exclude: src/legacy/',
      'tests/ | excluded | exclude: tests/**',
    ]);
  });

  it('neither walks nor reports folders that no include can reach', async () => {
    const root = tempRepo({ ...tree, 'node_modules/a.js': 'x', 'src/node_modules/b.js': 'x', 'docs/x.ts': 'x' });
    const result = await scan(root, { include: ['src/**/*.ts', 'tests/unit/**'] });
    expect(paths(result)).toEqual(['src/app.spec.ts', 'src/app.ts', 'src/generated/api.ts']);
    expect(skips(result)).toEqual(['src/node_modules/ | excluded | default: node_modules']);
  });

  it('takes a folder as an include, and a leading slash anchors a name to the repo root', async () => {
    const root = tempRepo({ ...tree, 'src/scripts/build.py': 'x' });
    const result = await scan(root, { include: ['src/'], exclude: ['/scripts'] });
    expect(paths(result)).toEqual(['src/app.spec.ts', 'src/app.ts', 'src/generated/api.ts', 'src/legacy/old.js', 'src/scripts/build.py']);
    const anchored = await scan(root, { exclude: ['/scripts'] });
    expect(skips(anchored)).toEqual(['package-lock.json | excluded | default: lockfile', 'scripts/ | excluded | exclude: /scripts']);
  });
});

describe('size and content limits', () => {
  it('skips files over maxFileBytes with the size in the detail', async () => {
    const root = tempRepo({ 'big.py': 'x'.repeat(101), 'edge.py': 'x'.repeat(100), 'empty.py': '' });
    const result = await scan(root, { maxFileBytes: 100 });
    expect(paths(result)).toEqual(['edge.py', 'empty.py']);
    expect(result.files.filter((f) => f.language !== 'text').map((f) => f.size)).toEqual([100, 0]);
    expect(skips(result)).toEqual(['big.py | too-large | 101 bytes > 100']);
  });

  it('skips files with a NUL byte in the first 8 KB as binary, and keeps non-UTF-8 text', async () => {
    const root = tempRepo({
      'blob.js': Buffer.from([0x63, 0x6f, 0x00, 0x6e]),
      'late-nul.js': Buffer.concat([Buffer.from('a;\n'.repeat(3000)), Buffer.from([0])]),
      'latin1.py': Buffer.from([0x23, 0x20, 0xe9, 0x0a]),
    });
    const result = await scan(root);
    expect(paths(result)).toEqual(['late-nul.js', 'latin1.py']);
    expect(skips(result)).toEqual(['blob.js | binary | NUL byte in the first 8 KB']);
  });
});

describe('symlinks', () => {
  it('never follows links: outside the root, inside it, loops and dangling ones are all reported', async () => {
    const outside = tempRepo({ 'secret.env': 'KEY=1', 'lib/x.py': 'x' });
    const root = tempRepo({ 'app.ts': 'x', 'src/real.py': 'x' });
    const link = (target: string, at: string) => fs.symlinkSync(target, path.join(root, at));
    link(path.join(outside, 'secret.env'), 'out.env');
    link(path.join(outside, 'lib'), 'outlib');
    link('src/real.py', 'copy.py');
    link('src', 'src-link');
    link('.', 'loop');
    link('b.js', 'a.js');
    link('a.js', 'b.js');
    link('missing.ts', 'gone.ts');
    link('missing', 'gone-dir');
    write(root, { 'deps/index.js': 'x' });
    link('deps', 'node_modules');
    const result = await scan(root);
    expect(paths(result)).toEqual(['app.ts', 'deps/index.js', 'src/real.py']);
    expect(skips(result)).toEqual([
      'a.js | excluded | symlink (loop)',
      'b.js | excluded | symlink (loop)',
      'copy.py | excluded | symlink',
      // A name without an extension is a text file now (issue 15), so its broken link is reported too.
      'gone-dir | excluded | symlink (broken)',
      'gone.ts | excluded | symlink (broken)',
      'loop/ | excluded | symlink',
      'node_modules/ | excluded | default: node_modules',
      'out.env | symlink-outside-root | ',
      'outlib/ | symlink-outside-root | ',
      'src-link/ | excluded | symlink',
    ]);
  });
});

describe('roots', () => {
  it('gives repo-root-relative paths when a subfolder is scanned', async () => {
    const root = tempRepo({ 'packages/api/src/server.ts': 'x', 'packages/web/app.js': 'x' });
    fs.rmSync(path.join(root, '.git'));
    fs.mkdirSync(path.join(root, '.git'));
    const result = await scan(path.join(root, 'packages', 'api'));
    expect(result.repoRoot).toBe(root);
    expect(result.root).toBe(path.join(root, 'packages', 'api'));
    expect(result.repoPrefix).toBe('packages/api');
    expect(paths(result)).toEqual(['packages/api/src/server.ts']);
    expect(result.files[0]?.absPath).toBe(path.join(root, 'packages', 'api', 'src', 'server.ts'));
    expect(findRepoRoot(path.join(root, 'packages', 'api', 'src'))).toBe(root);
  });

  it('falls back to the start directory when no .git is found', () => {
    // The filesystem root has no .git in any sane test environment.
    expect(findRepoRoot(path.parse(os.tmpdir()).root)).toBe(path.parse(os.tmpdir()).root);
  });

  it('scans a single file root, even one that defaults or ignore files would skip', async () => {
    const root = tempRepo({ '.gitignore': 'src/\n', 'src/app.min.js': 'x', 'src/notes.md': 'x', 'src/big.py': 'x'.repeat(20) });
    const single = await scan(path.join(root, 'src', 'app.min.js'));
    expect(single.repoPrefix).toBe('src/app.min.js');
    // Read whole to sniff it (under 8 KB): the scan takes these bytes instead of reading the file again.
    expect(single.files).toEqual([
      { path: 'src/app.min.js', absPath: path.join(root, 'src', 'app.min.js'), size: 1, language: 'javascript', content: Buffer.from('x') },
    ]);
    // Every text file gets the provider-pattern pass (issue 15); a known binary format has no scanner.
    expect(textPaths(await scan(path.join(root, 'src', 'notes.md')))).toEqual(['src/notes.md']);
    write(root, { 'src/logo.png': 'x' });
    expect(skips(await scan(path.join(root, 'src', 'logo.png')))).toEqual(['src/logo.png | unsupported | no scanner for this file type']);
    expect(skips(await scan(path.join(root, 'src', 'big.py'), { maxFileBytes: 10 }))).toEqual(['src/big.py | too-large | 20 bytes > 10']);
  });

  it('throws for a root that does not exist', async () => {
    await expect(findFiles(path.join(os.tmpdir(), 'ca-discovery-does-not-exist'))).rejects.toThrow(/ENOENT/);
  });

  it('returns files and skips sorted by path (code units), the same on every run', async () => {
    const root = tempRepo({});
    for (const name of ['b.ts', 'a/z.ts', 'a.ts', 'C.ts', 'a-b.ts', 'é.ts', 'Z/x.ts', 'a.min.js', 'D.min.js']) write(root, { [name]: 'x' });
    const first = await scan(root);
    expect(paths(first)).toEqual(['C.ts', 'Z/x.ts', 'a-b.ts', 'a.ts', 'a/z.ts', 'b.ts', 'é.ts']);
    expect(first.skipped.map((s) => s.path)).toEqual(['D.min.js', 'a.min.js']);
    expect(await scan(root)).toEqual(first);
  });
});

describe('read errors', () => {
  it.skipIf(process.getuid?.() === 0)('reports unreadable directories and files as errors, not skips', async () => {
    const root = tempRepo({ 'locked/a.py': 'x', 'secret.py': 'x', 'ok.py': 'x' });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    fs.chmodSync(path.join(root, 'secret.py'), 0o000);
    try {
      const result = await findFiles(root);
      expect(paths(result)).toEqual(['ok.py']);
      expect(result.skipped).toEqual([]);
      expect(result.errors).toEqual([
        { path: 'locked/', message: 'cannot read directory: EACCES' },
        { path: 'secret.py', message: 'cannot read file: EACCES' },
      ]);
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});

describe('hostile entries (issue 12)', () => {
  const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
    const le = Buffer.from(`\ufeff${text}`, 'utf16le');
    return order === 'le' ? le : Buffer.from(le).swap16();
  };

  it('keeps UTF-16 files with a byte order mark (LE and BE), and still skips UTF-32 and NUL-laden UTF-16 as binary', async () => {
    const root = tempRepo({
      'le.env': utf16('AWS_SECRET_ACCESS_KEY=x\n', 'le'),
      'be.js': utf16('const a = 1;\n', 'be'),
      'utf32.py': Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]),
      'nul16.py': utf16('a\0b\n', 'le'),
    });
    const result = await scan(root);
    expect(paths(result)).toEqual(['be.js', 'le.env']);
    expect(skips(result)).toEqual(['nul16.py | binary | NUL byte in the first 8 KB', 'utf32.py | binary | NUL byte in the first 8 KB']);
  });

  it.skipIf(process.platform === 'win32')(
    'reports FIFOs and sockets as skipped, whatever their name, without opening them',
    async () => {
      const root = tempRepo({ 'ok.py': 'x = 1\n', '.gitignore': 'ignored.fifo\n' });
      for (const name of ['pipe.py', 'pipe', 'ignored.fifo']) execFileSync('mkfifo', [path.join(root, name)]);
      fs.symlinkSync('pipe.py', path.join(root, 'link.py'));
      const socketPath = path.join(root, 'sock.js');
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      try {
        // Opening a FIFO for reading would block this test until a writer comes: the timeout fails it instead.
        const result = await scan(root);
        expect(paths(result)).toEqual(['ok.py']);
        expect(skips(result)).toEqual([
          'ignored.fifo | ignored | .gitignore: ignored.fifo',
          'link.py | unsupported | not a regular file (symlink to a FIFO); never opened',
          'pipe | unsupported | not a regular file (FIFO); never opened',
          'pipe.py | unsupported | not a regular file (FIFO); never opened',
          'sock.js | unsupported | not a regular file (socket); never opened',
        ]);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
    5000,
  );

  it.skipIf(process.platform === 'win32')(
    'reports a symlink to a FIFO leaving the root like any link out of it',
    async () => {
      const outside = tempRepo({});
      execFileSync('mkfifo', [path.join(outside, 'p')]);
      const root = tempRepo({});
      fs.symlinkSync(path.join(outside, 'p'), path.join(root, 'p.py'));
      expect(skips(await scan(root))).toEqual(['p.py | unsupported | not a regular file (symlink to a FIFO); never opened']);
    },
    5000,
  );

  it.each([
    ['../other/**', /points outside the repository/],
    ['./../other/**', /points outside the repository/],
    ['src/../../x/**', /points outside the repository/],
    ['C:\\code\\**', /absolute path/],
  ])('rejects include %s, which can never match, as a usage error', async (pattern, message) => {
    const root = tempRepo({ 'src/a.ts': 'x' });
    await expect(findFiles(root, { include: [pattern] })).rejects.toThrow(message);
    await expect(findFiles(root, { include: [pattern] })).rejects.toBeInstanceOf(UsageError);
  });

  it('rejects absolute include paths, naming the relative pattern when they lie inside the repository', async () => {
    const root = tempRepo({ 'src/a.ts': 'x' });
    await expect(findFiles(root, { include: [`${root}/src/**`] })).rejects.toThrow(`write it relative to the repository root: 'src/**'`);
    const elsewhere = tempRepo({});
    await expect(findFiles(root, { include: [`${elsewhere}/**`] })).rejects.toThrow(/absolute path outside the repository/);
    // A leading slash anchors to the repository root, as in gitignore.
    expect(paths(await scan(root, { include: ['/src/**'] }))).toEqual(['src/a.ts']);
  });

  it('judges minified JavaScript on the whole file: one long line up front no longer hides a file', async () => {
    const packed = 'var a=1;'.repeat(600);
    const root = tempRepo({
      'src/padded.js': `/* ${'x'.repeat(4000)} */\nconst key = 1;\n`,
      // Packed and comments only in the first 8 KB: the ordinary line at the end is found by reading it all.
      'src/late.js': `${'// license\n'.repeat(10)}${packed}\n${'// more\n'.repeat(2000)}const key = 1;\n`,
      'public/app.js': `/*! lib v1 | MIT */\n${packed}\n${packed}\n//# sourceMappingURL=app.js.map\n`,
      'public/banner.js': `${'// license line\n'.repeat(600)}${packed}\n`,
    });
    const result = await scan(root);
    expect(paths(result)).toEqual(['src/late.js', 'src/padded.js']);
    expect(skips(result)).toEqual(['public/app.js | excluded | default: minified', 'public/banner.js | excluded | default: minified']);
  });

  it('skips a bundler chunk whose template literals and mid-line banners break the packed lines (CTFd theme assets)', async () => {
    const packed = 'var a=1;'.repeat(600);
    // Vite keeps the newlines of a template literal (CSS, a message) and of a license comment opened mid-line.
    const chunk = `import{G as D}from"./main-CA4_OjGq.js";${packed}/*! lib\n * Copyright (c) 2013\n * MIT\n */${packed}e.style=\`top: 1px;\n  left: 2px;\n\`;${packed}\n`;
    const root = tempRepo({
      'themes/admin/static/assets/echarts.common-Bdt6IdtL.js': chunk,
      'themes/admin/static/assets/htmlmixed-CBfzcasR.js': chunk,
      'themes/core/static/assets/index.94b01c79.js': chunk,
      'static/js/app.3f2a9c1d.chunk.js': chunk,
      // The same text without a hashed name is not judged minified: the short lines might be code.
      'static/js/vendor.js': chunk,
      // Hashed-looking names on hand-written code: short lines, scanned.
      'src/use-Selector.js': `${'const b = 2;\n'.repeat(100)}`,
      'src/view-1a2b3c4d.js': `const data = '${'x'.repeat(1500)}';\n${'const b = 2;\n'.repeat(300)}`,
      // All letters: not a hash.
      'src/settings-abcdefgh.js': chunk,
    });
    const result = await scan(root);
    expect(paths(result)).toEqual(['src/settings-abcdefgh.js', 'src/use-Selector.js', 'src/view-1a2b3c4d.js', 'static/js/vendor.js']);
    expect(skips(result)).toEqual([
      'static/js/app.3f2a9c1d.chunk.js | excluded | default: minified (bundler chunk)',
      'themes/admin/static/assets/echarts.common-Bdt6IdtL.js | excluded | default: minified (bundler chunk)',
      'themes/admin/static/assets/htmlmixed-CBfzcasR.js | excluded | default: minified (bundler chunk)',
      'themes/core/static/assets/index.94b01c79.js | excluded | default: minified (bundler chunk)',
    ]);
  });
});

describe('every text file (issue 15)', () => {
  /** A real repository: `git init`, the files written, `tracked` added to the index with `--force`. */
  function gitRepo(files: Record<string, string | Buffer>, tracked: string[]): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-discovery-git-'));
    temps.push(root);
    execFileSync('git', ['init', '-q', root]);
    write(root, files);
    if (tracked.length > 0) execFileSync('git', ['-C', root, 'add', '--force', '--', ...tracked]);
    return root;
  }

  it('lists every text file as `text`, skips NUL-laden ones as binary and known binary formats silently', async () => {
    const root = tempRepo({
      'app.py': 'x = 1\n',
      'main.go': 'package main\n',
      id_rsa: 'key\n',
      'notes.txt': 'hello\n',
      'blob.dat': Buffer.from([1, 0, 2, 3]),
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    });
    const result = await scan(root);
    expect(paths(result)).toEqual(['app.py']);
    expect(textPaths(result)).toEqual(['id_rsa', 'main.go', 'notes.txt']);
    expect(skips(result)).toEqual(['blob.dat | binary | NUL byte in the first 8 KB']);
  });

  it('scans files git tracks even when a .gitignore lists them; untracked ignored files stay ignored', async () => {
    const root = gitRepo(
      {
        '.gitignore': '.env.example\nkeys/\nlocal.txt\n',
        '.env.example': 'A=1\n',
        'keys/deploy.pem': 'k\n',
        'keys/scratch.pem': 'k\n',
        'local.txt': 'x\n',
      },
      ['.gitignore', '.env.example', 'keys/deploy.pem'],
    );
    const result = await scan(root);
    expect(paths(result)).toEqual(['.env.example']);
    expect(textPaths(result)).toEqual(['.gitignore', 'keys/deploy.pem']);
    expect(skips(result)).toEqual([
      '.git/ | excluded | default: .git',
      'keys/scratch.pem | ignored | .gitignore: keys/',
      'local.txt | ignored | .gitignore: local.txt',
    ]);
  });

  it('still honours .complianceagentignore, --exclude and default excludes for tracked files', async () => {
    const root = gitRepo(
      {
        '.complianceagentignore': 'secret.txt\n',
        'secret.txt': 'x\n',
        'docs/key.txt': 'x\n',
        'node_modules/a/key.txt': 'x\n',
      },
      ['secret.txt', 'docs/key.txt', 'node_modules/a/key.txt'],
    );
    const result = await scan(root, { exclude: ['docs/**'] });
    expect(textPaths(result)).toEqual(['.complianceagentignore']);
    expect(skips(result)).toEqual([
      '.git/ | excluded | default: .git',
      'docs/ | excluded | exclude: docs/**',
      'node_modules/ | excluded | default: node_modules',
      'secret.txt | ignored | .complianceagentignore: secret.txt',
    ]);
  });
});
