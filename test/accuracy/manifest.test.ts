// The accuracy manifest and label files: checked for shape, and the apps' commit markers read (no network, no apps).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error accuracy/common.mjs is plain JavaScript without type declarations
import { appCommit, markerPath, readManifest } from '../../accuracy/common.mjs';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ca-accuracy-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * The repositories kept for independent evaluation (the project's RESERVED.md, outside this repository), as the first
 * 16 hex digits of the SHA-256 of `owner/name` in lower case: the test can check the manifest without the names
 * appearing anywhere in this repository. When RESERVED.md is beside the checkout (../shared/), its list is read too.
 */
const RESERVED_HASHES = new Set([
  '0d3f94dc87bf7897',
  '1375951e594787ec',
  '245c26ea79a0c5a0',
  '2609c08c6e190b64',
  '27878e2f503d3bb6',
  '2b3f57930961a48c',
  '44dc357f3df7c951',
  '476a8eaace3f1ba5',
  '47b9b2b83fc2dbb4',
  '4b1cb9a625a5d4be',
  '4ccfb84857f8ea64',
  '8f5a43fbbd9b85a2',
  '93f7571643a4f851',
  '9969190bfbde1045',
  'a10f69bb76c48a0a',
  'b37df1f1e30b1f11',
  'b37f4f2b6b92ad44',
  'c0e14d27903e1d43',
  'c42faca20043d581',
  'c6d8fe3a2f563198',
  'c7c14288ec3de56b',
  'ca6fd5c9d57ec1cd',
  'ee7783417845f9bc',
  'f27c0747b66f7b47',
  'fcb50cb4cc964e75',
]);
const reservedFile = join('..', 'shared', 'RESERVED.md');
const reservedNames = existsSync(reservedFile)
  ? readFileSync(reservedFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((l) => l.slice(2).trim().toLowerCase())
  : [];
const reservedHash = (repo: string): string => createHash('sha256').update(repo.toLowerCase()).digest('hex').slice(0, 16);
const isReserved = (repo: string): boolean => RESERVED_HASHES.has(reservedHash(repo)) || reservedNames.includes(repo.toLowerCase());

describe('accuracy/manifest.json', () => {
  const apps = readManifest();

  it('pins every app at a full commit, with both kinds present and no reserved repository', () => {
    expect(apps.length).toBeGreaterThanOrEqual(4);
    expect(new Set(apps.map((a: { kind: string }) => a.kind))).toEqual(new Set(['vulnerable', 'well-kept']));
    for (const a of apps) expect(isReserved(a.repo), a.repo).toBe(false);
  });

  it('has a label file per app whose labels carry a boolean verdict and a note, and expected entries with a source', () => {
    const files = readdirSync('accuracy/labels');
    for (const a of apps) {
      expect(files).toContain(`${a.name}.json`);
    }
    // Every label file belongs to an app of the manifest: <name>.json or <name>--<topic>.json.
    const names = new Set(apps.map((a: { name: string }) => a.name));
    for (const f of files) {
      expect(f, f).toMatch(/^[\w.-]+?(?:--[\w-]+)?\.json$/);
      expect(names.has(f.replace(/(?:--[\w-]+)?\.json$/, '')), `${f} names no app of the manifest`).toBe(true);
      const data = JSON.parse(readFileSync(join('accuracy/labels', f), 'utf8'));
      for (const l of data.labels ?? []) {
        expect(typeof l.verdict).toBe('boolean');
        expect(l.note.length).toBeGreaterThan(10);
        expect(l.fingerprint).toMatch(/^ca1:/);
      }
      for (const e of data.expected ?? []) {
        expect(e.source).toBeTruthy();
        expect(e.lines[0]).toBeLessThanOrEqual(e.lines[1]);
      }
    }
  });

  it('measures the LLM rules on at least five agent apps (domain "ai"), the only domain named so far', () => {
    for (const a of apps as Array<{ name: string; domain?: string }>) if (a.domain !== undefined) expect(['ai'], a.name).toContain(a.domain);
    expect(apps.filter((a: { domain?: string }) => a.domain === 'ai').length).toBeGreaterThanOrEqual(5);
  });

  it('holds the whole reserved list as hashes, compared case-insensitively', () => {
    expect(RESERVED_HASHES.size).toBe(25);
    expect(reservedHash('Owner/Name')).toBe(reservedHash('owner/name'));
    expect(isReserved('juice-shop/juice-shop')).toBe(false);
    // Beside the project's RESERVED.md, every name on it is recognised through its hash alone.
    for (const name of reservedNames) expect(RESERVED_HASHES.has(reservedHash(name)), 'RESERVED.md changed: update the hashes').toBe(true);
  });

  it('rejects a malformed manifest with every problem named', () => {
    const file = join(tmp(), 'm.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: '../x', repo: 'nope', commit: 'abc', kind: 'other', subdir: '../up' }] }));
    expect(() => readManifest(file)).toThrow(/name must be a plain folder name.*repo must be owner\/name.*commit must be 40.*kind must be.*subdir must be/);
  });
});

describe('appCommit', () => {
  it('reads the marker beside a snapshot, and reports an unknown commit without one', () => {
    const dir = tmp();
    expect(appCommit(dir, 'app')).toEqual({ commit: null, how: null });
    writeFileSync(markerPath(dir, 'app'), JSON.stringify({ repo: 'o/r', commit: 'a'.repeat(40) }));
    expect(appCommit(dir, 'app')).toEqual({ commit: 'a'.repeat(40), how: 'marker' });
  });
});
