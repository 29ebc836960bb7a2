import { describe, expect, it } from 'vitest';
import { applySuppressions, parseDirectives, type SuppressionDirective } from '../../src/engine/suppressions.js';
import type { Finding } from '../../src/types.js';

function one(text: string): SuppressionDirective | undefined {
  return parseDirectives('a.js', text)[0];
}

describe('parseDirectives', () => {
  const wellFormed: Array<[string, string, Partial<SuppressionDirective>]> = [
    [
      '// on its own line targets the next line',
      'x\n// complianceagent-ignore SOC2-006 -- rate limited at the API gateway\ny',
      { line: 2, targetLine: 3, ruleIds: ['SOC2-006'], reason: 'rate limited at the API gateway', scope: 'line' },
    ],
    [
      '# trailing comment targets its own line',
      "password = 'x'  # complianceagent-ignore SOC2-002 -- test fixture",
      { line: 1, targetLine: 1, ruleIds: ['SOC2-002'], reason: 'test fixture' },
    ],
    [
      '/* */ with several ids',
      'f(); /* complianceagent-ignore SOC2-002, SOC2-006 -- both accepted */',
      { targetLine: 1, ruleIds: ['SOC2-002', 'SOC2-006'], reason: 'both accepted' },
    ],
    [
      'file directive in the top comment block',
      '#!/usr/bin/env node\n// header\n// complianceagent-ignore-file SOC2-002 -- generated test keys\ncode()',
      { scope: 'file', line: 3, ruleIds: ['SOC2-002'], reason: 'generated test keys' },
    ],
    [
      'file directive inside a /** */ block',
      '/**\n * complianceagent-ignore-file SOC2-002 -- sample data\n */\nx',
      { scope: 'file', line: 2, ruleIds: ['SOC2-002'] },
    ],
  ];
  it.each(wellFormed)('%s', (_, text, expected) => {
    const d = one(text);
    expect(d).toMatchObject(expected);
    expect(d?.problem).toBeUndefined();
  });

  const rejected: Array<[string, string, RegExp]> = [
    ['no rule id', '// complianceagent-ignore -- trust me', /names no rule id/],
    ['no reason', '// complianceagent-ignore SOC2-002', /gives no reason/],
    ['empty reason', '// complianceagent-ignore SOC2-002 --   ', /gives no reason/],
    ['a word where an id belongs', '// complianceagent-ignore secrets -- fine', /'secrets' is not a rule id/],
    ['file directive below code', 'code()\n// complianceagent-ignore-file SOC2-002 -- too late', /must be in the comment block at the top/],
  ];
  it.each(rejected)('rejects a directive with %s', (_, text, problem) => {
    expect(one(text)?.problem).toMatch(problem);
  });

  it.each([
    ['prose that mentions the word outside a comment', 'const doc = "use complianceagent-ignore to suppress";'],
    ['a longer word', '// complianceagent-ignored SOC2-002 -- x'],
    ['a file without the word', 'const a = 1;'],
  ])('finds nothing in %s', (_, text) => {
    expect(parseDirectives('a.js', text)).toEqual([]);
  });
});

function finding(ruleId: string, path: string, line: number, fingerprint = `ca1:${'0'.repeat(31)}${line % 10}`): Finding {
  return {
    ruleId,
    ruleName: 'X',
    title: 't',
    severity: 'high',
    confidence: 'high',
    controls: [],
    cwe: [],
    message: 'm',
    location: { path, startLine: line, startColumn: 1, endLine: line, endColumn: 2 },
    snippet: '',
    fingerprint,
  };
}

describe('applySuppressions', () => {
  const today = '2026-06-01';
  it('marks findings covered by a directive and reports unused and rejected directives', () => {
    const directives = [
      ...parseDirectives('a.js', "// complianceagent-ignore SOC2-002 SOC2-006 -- accepted\nconst k = 'x';\n// complianceagent-ignore SOC2-002\nconst j = 'y';"),
    ];
    const out = applySuppressions([finding('SOC2-002', 'a.js', 2), finding('SOC2-002', 'a.js', 4)], { directives, ignoreEntries: [], today }, [
      'SOC2-002',
      'SOC2-006',
    ]);
    expect(out.findings.map((f) => `${f.location.startLine} ${f.suppression?.kind ?? 'active'} ${f.suppression?.justification ?? ''}`)).toEqual([
      '2 inSource accepted',
      '4 active ',
    ]);
    expect(out.errors.map((e) => `${e.path}:${e.line} ${e.kind} ${e.message}`)).toEqual([
      "a.js:3 suppression complianceagent-ignore ignored: gives no reason: add ' -- ' and why this is accepted",
      'a.js:1 suppression unused complianceagent-ignore for SOC2-006 (no SOC2-006 finding on line 2); remove it',
    ]);
  });

  it('says when the rule of a directive did not run', () => {
    const directives = parseDirectives('a.js', '// complianceagent-ignore SOC2-009 -- sessions handled by the gateway\nx');
    const out = applySuppressions([], { directives, ignoreEntries: [], today }, ['SOC2-002']);
    expect(out.errors.map((e) => e.message)).toEqual(['unused complianceagent-ignore for SOC2-009 (SOC2-009 did not run); remove it']);
  });

  it('applies ignore-file entries until they expire, then reports the finding again', () => {
    const live = finding('SOC2-002', 'b.py', 1);
    const expired = finding('SOC2-002', 'b.py', 2);
    const ignoreEntries = [
      { fingerprint: live.fingerprint, reason: 'demo key', author: 'ana', expires: '2026-06-01' },
      { fingerprint: expired.fingerprint, reason: 'old', author: 'bo', expires: '2026-05-31' },
    ];
    const out = applySuppressions([live, expired], { directives: [], ignoreEntries, today }, ['SOC2-002']);
    expect(out.findings[0]!.suppression).toEqual({ kind: 'external', justification: 'demo key', author: 'ana', expires: '2026-06-01' });
    expect(out.findings[1]!.suppression).toBeUndefined();
    expect(out.errors.map((e) => e.message)).toEqual([
      `the ignore entry for ${expired.fingerprint} (SOC2-002) expired on 2026-05-31; the finding is reported again`,
    ]);
  });

  it('a file directive covers every finding of its rules in that file only', () => {
    const directives = parseDirectives('c.js', '// complianceagent-ignore-file SOC2-002 -- fixtures\nx');
    const out = applySuppressions(
      [finding('SOC2-002', 'c.js', 10), finding('SOC2-002', 'd.js', 10), finding('SOC2-006', 'c.js', 3)],
      { directives, ignoreEntries: [], today },
      ['SOC2-002', 'SOC2-006'],
    );
    expect(out.findings.map((f) => `${f.location.path} ${f.ruleId} ${f.suppression ? 'suppressed' : 'active'}`)).toEqual([
      'c.js SOC2-002 suppressed',
      'd.js SOC2-002 active',
      'c.js SOC2-006 active',
    ]);
    expect(out.errors).toEqual([]);
  });
});
