// The accuracy manifest and label files: checked for shape, and the apps' commit markers read (no network, no apps).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const RESERVED = ['snoopysecurity/dvws-node', 'cr0hn/vulnerable-node', 'OWASP/crAPI', 'erev0s/VAmPI', 'ghostfolio/ghostfolio', 'healthchecks/healthchecks'];

describe('accuracy/manifest.json', () => {
  const apps = readManifest();

  it('pins every app at a full commit, with both kinds present and no reserved repository', () => {
    expect(apps.length).toBeGreaterThanOrEqual(4);
    expect(new Set(apps.map((a: { kind: string }) => a.kind))).toEqual(new Set(['vulnerable', 'well-kept']));
    for (const a of apps) expect(RESERVED).not.toContain(a.repo);
  });

  it('has a label file per app whose labels carry a boolean verdict and a note, and expected entries with a source', () => {
    const files = readdirSync('accuracy/labels');
    for (const a of apps) {
      expect(files).toContain(`${a.name}.json`);
      const data = JSON.parse(readFileSync(join('accuracy/labels', `${a.name}.json`), 'utf8'));
      for (const l of data.labels) {
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
