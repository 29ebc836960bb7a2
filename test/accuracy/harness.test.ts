// The accuracy harness's matcher and metric arithmetic (accuracy/lib.mjs) on tiny synthetic inputs: no apps, no network.
import { describe, expect, it } from 'vitest';
// @ts-expect-error accuracy/lib.mjs is plain JavaScript without type declarations
import * as lib from '../../accuracy/lib.mjs';

type Obs = { rule: string; path: string; line: number; severity: string; fingerprint: string; code: string; message: string; snippet: string };

function finding(rule: string, path: string, line: number, snippet: string, severity = 'high', fingerprint = `ca1:${rule}:${path}:${snippet}`) {
  return { ruleId: rule, severity, message: `m ${line}`, location: { path, startLine: line }, snippet, fingerprint };
}

const obs = (f: ReturnType<typeof finding>): Obs => lib.toObserved(f);

describe('codeHash', () => {
  it('ignores whitespace differences and changes with the code', () => {
    expect(lib.codeHash('  const a =  1;')).toBe(lib.codeHash('const a = 1;'));
    expect(lib.codeHash('const a = 1;')).not.toBe(lib.codeHash('const a = 2;'));
    expect(lib.codeHash('')).toBe('');
  });
});

describe('matchApp', () => {
  it('matches by fingerprint first, whatever the line', () => {
    const f = obs(finding('SOC2-002', 'a.ts', 40, "x = '***'"));
    const label = { rule: 'SOC2-002', path: 'a.ts', line: 10, fingerprint: f.fingerprint, code: 'zzz', verdict: false };
    const m = lib.matchApp([f], [label], []);
    expect(m.findings[0].verdict).toBe(false);
    expect(m.findings[0].verdictSource).toBe('label');
    expect(m.staleLabels).toEqual([]);
  });

  it('falls back to the code hash after a line shift, nearest line first', () => {
    const f = obs(finding('SOC2-004', 'b.py', 57, 'cursor.execute(q)', 'high', 'ca1:new'));
    const far = { rule: 'SOC2-004', path: 'b.py', line: 10, fingerprint: 'ca1:old1', code: lib.codeHash('cursor.execute(q)'), verdict: false };
    const near = { rule: 'SOC2-004', path: 'b.py', line: 50, fingerprint: 'ca1:old2', code: lib.codeHash('cursor.execute(q)'), verdict: true };
    const m = lib.matchApp([f], [far, near], []);
    expect(m.findings[0].verdict).toBe(true);
    expect(m.staleLabels).toEqual([far]);
  });

  it('gives two findings with the same code line two different labels', () => {
    const a = obs(finding('SOC2-009', 's.js', 23, 'app.use(session({', 'high', 'ca1:x'));
    const b = obs(finding('SOC2-009', 's.js', 23, 'app.use(session({', 'medium', 'ca1:y'));
    const code = lib.codeHash('app.use(session({');
    const la = { rule: 'SOC2-009', path: 's.js', line: 23, fingerprint: 'old-a', code, verdict: true };
    const lb = { rule: 'SOC2-009', path: 's.js', line: 23, fingerprint: 'old-b', code, verdict: false };
    const m = lib.matchApp([a, b], [la, lb], []);
    expect(m.findings.map((f: { verdict: boolean }) => f.verdict)).toEqual([true, false]);
  });

  it('falls back to the exact line when the code changed, and never crosses rule or path', () => {
    const f = obs(finding('SOC2-001', 'r.ts', 12, 'router.get("/x", h)'));
    const sameLine = { rule: 'SOC2-001', path: 'r.ts', line: 12, fingerprint: 'other', code: 'other', verdict: true };
    const otherRule = { rule: 'SOC2-008', path: 'r.ts', line: 12, fingerprint: f.fingerprint, code: f.code, verdict: false };
    const otherPath = { rule: 'SOC2-001', path: 'q.ts', line: 12, fingerprint: f.fingerprint, code: f.code, verdict: false };
    const m = lib.matchApp([f], [otherRule, otherPath, sameLine], []);
    expect(m.findings[0].label).toBe(sameLine);
    expect(m.staleLabels).toEqual([otherRule, otherPath]);
  });

  it('leaves a finding unlabelled when nothing matches, and a label with verdict null counts as unlabelled', () => {
    const f = obs(finding('SOC2-005', 'm.py', 3, 'md5(pw)'));
    const stub = { rule: 'SOC2-005', path: 'm.py', line: 3, fingerprint: f.fingerprint, code: f.code, verdict: null };
    expect(lib.matchApp([f], [], []).findings[0].verdict).toBeNull();
    expect(lib.matchApp([f], [stub], []).findings[0].verdict).toBeNull();
  });

  it('finds expected entries by rule, path and line range (also an alternative location), and counts an unlabelled hit as true', () => {
    const inRange = obs(finding('SOC2-004', 'h.js', 11, 'db.query(q)'));
    const wrongRule = obs(finding('SOC2-010', 'h.js', 11, 'db.query(q)'));
    const atRoute = obs(finding('SOC2-008', 'routes.js', 42, 'router.get(...)'));
    const expected = [
      { rule: 'SOC2-004', path: 'h.js', lines: [9, 12], source: 'docs' },
      { rule: 'SOC2-008', path: 'h.js', lines: [200, 210], also: [{ path: 'routes.js', lines: [42, 42] }], source: 'docs' },
      { rule: 'SOC2-004', path: 'h.js', lines: [13, 20], source: 'docs' },
    ];
    const m = lib.matchApp([inRange, wrongRule, atRoute], [], expected);
    expect(m.expected.map((e: { found: number[] }) => e.found)).toEqual([[0], [2], []]);
    expect(m.findings.map((f: { verdict: boolean | null }) => f.verdict)).toEqual([true, null, true]);
    expect(m.findings[0].verdictSource).toBe('expected');
  });

  it('lets a false label win over an expected entry', () => {
    const f = obs(finding('SOC2-004', 'h.js', 11, 'db.query(q)'));
    const label = { rule: 'SOC2-004', path: 'h.js', line: 11, fingerprint: f.fingerprint, code: f.code, verdict: false };
    const m = lib.matchApp([f], [label], [{ rule: 'SOC2-004', path: 'h.js', lines: [9, 12], source: 'docs' }]);
    expect(m.findings[0].verdict).toBe(false);
    expect(m.expected[0].found).toEqual([0]);
  });
});

describe('metrics', () => {
  it('counts per rule and computes precision on labelled findings only, recall, and rates per 1,000 lines', () => {
    const fs = [
      obs(finding('SOC2-004', 'a.js', 1, 'a', 'critical')),
      obs(finding('SOC2-004', 'a.js', 2, 'b', 'high')),
      obs(finding('SOC2-004', 'a.js', 3, 'c', 'low')),
      obs(finding('SOC2-004', 'a.js', 4, 'd', 'medium')),
    ];
    const labels = [
      { rule: 'SOC2-004', path: 'a.js', line: 1, fingerprint: fs[0]!.fingerprint, code: '', verdict: true },
      { rule: 'SOC2-004', path: 'a.js', line: 2, fingerprint: fs[1]!.fingerprint, code: '', verdict: false },
      { rule: 'SOC2-004', path: 'a.js', line: 3, fingerprint: fs[2]!.fingerprint, code: '', verdict: true },
    ];
    const expected = [
      { rule: 'SOC2-004', path: 'a.js', lines: [1, 1], source: 'x' },
      { rule: 'SOC2-004', path: 'a.js', lines: [50, 60], source: 'y' },
    ];
    const byRule = lib.countByRule(lib.matchApp(fs, labels, expected));
    expect(byRule['SOC2-004']).toMatchObject({ findings: 4, mediumPlus: 3, true: 2, false: 1, unlabelled: 1, expected: 2, found: 1 });
    const m = lib.metrics(byRule['SOC2-004'], 8000);
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBe(0.5);
    expect(m.perKloc).toBe(0.5);
    expect(m.mediumPlusPerKloc).toBe(0.375);
    expect(lib.metrics(lib.emptyCounts(), 0)).toMatchObject({ precision: null, recall: null, perKloc: null });
  });

  it('sums apps of a kind: lines add up, rates use the group lines, thresholds read the right group', () => {
    const cell = (findings: number, t: number, f: number) => ({ ...lib.emptyCounts(), findings, mediumPlus: findings, true: t, false: f });
    const summary = lib.summarise([
      { name: 'a', kind: 'well-kept', lines: 1000, byRule: { 'SOC2-002': cell(1, 1, 0) } },
      { name: 'b', kind: 'well-kept', lines: 3000, byRule: { 'SOC2-002': cell(3, 0, 2), 'SOC2-010': cell(2, 0, 0) } },
      { name: 'v', kind: 'vulnerable', lines: 500, byRule: { 'SOC2-010': cell(50, 10, 0) } },
    ]);
    expect(summary['well-kept'].lines).toBe(4000);
    expect(summary['well-kept'].byRule['SOC2-002']).toMatchObject({ findings: 4, true: 1, false: 2, perKloc: 1 });
    expect(summary['well-kept'].byRule['SOC2-002'].precision).toBeCloseTo(1 / 3);
    expect(summary['well-kept'].all.findings).toBe(6);
    expect(summary.vulnerable.byRule['SOC2-010'].perKloc).toBe(100);
    expect(lib.thresholdCrossings(summary, {})).toEqual([]);
    expect(lib.thresholdCrossings(summary, { minPrecision: 0.5 })).toEqual(['well-kept SOC2-002: precision 0.33 < 0.5']);
    // per-kloc limits apply to well-kept apps only (vulnerable apps are meant to be loud)
    expect(lib.thresholdCrossings(summary, { maxPerKloc: 0.9 })).toEqual(['well-kept SOC2-002: 1.000 findings per 1,000 lines > 0.9']);
  });

  it('writes label stubs only for findings without a verdict, and renders one table row per rule', () => {
    const a = obs(finding('SOC2-003', 'l.py', 5, 'logout()', 'medium'));
    const b = obs(finding('SOC2-003', 'l.py', 9, 'login()', 'medium'));
    const matched = lib.matchApp([a, b], [{ rule: 'SOC2-003', path: 'l.py', line: 5, fingerprint: a.fingerprint, code: '', verdict: true }], []);
    const stubs = lib.labelStubs(matched, 'abc');
    expect(stubs).toHaveLength(1);
    expect(stubs[0]).toMatchObject({ rule: 'SOC2-003', path: 'l.py', line: 9, verdict: null, labelledOn: 'abc' });
    const apps = [{ name: 'x', kind: 'well-kept', lines: 2000, byRule: lib.countByRule(matched) }];
    const md = lib.renderMarkdown({ summary: lib.summarise(apps), apps });
    expect(md).toContain('| SOC2-003 | 2 | 2 | 1 | 0 | 1 | 1.00 | 0 | 0 | – | 1.000 | 1.000 |');
    expect(md).toContain('### x (well-kept, 2,000 lines)');
  });
});
