import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { scan } from '../../src/engine/scan.js';
import { toGitlabSast } from '../../src/report/gitlab.js';
import { toJunit, xmlEscape } from '../../src/report/junit.js';
import { runCli } from '../helpers/cli.js';
import { GITHUB_TOKEN, STRIPE_KEY, makeProject } from './project.js';

const FILES = {
  'src/a.js': `// complianceagent-ignore SOC2-002 -- sandbox key <test> & "demo"\nconst k = '${STRIPE_KEY}';\nconst t = '${GITHUB_TOKEN}';\n`,
  'src/broken.js': 'function (\n',
};

describe('JUnit XML', () => {
  it('has a suite per rule, a failing case per finding, suppressed findings and scan errors as skipped cases', async () => {
    const dir = makeProject(FILES);
    const xml = toJunit(await scan(dir, { rules: RULES }), RULES);
    const lines = xml.split('\n');
    expect(lines[0]).toBe('<?xml version="1.0" encoding="UTF-8"?>');
    expect(lines[1]).toBe(
      `<testsuites name="complianceagent ${(await import('../../src/util/version.js')).TOOL_VERSION}: 1 issue detected by automated checks. 1 suppressed as documented exception." tests="${RULES.length - 1 + 2 + 1}" failures="1" errors="0" skipped="2">`,
    );
    expect(xml).toContain(`<testsuite name="SOC2-002 ${RULES.find((r) => r.id === 'SOC2-002')!.title}" tests="2" failures="1" errors="0" skipped="1">`);
    expect(xml).toContain('<skipped message="suppressed: sandbox key &lt;test&gt; &amp; &quot;demo&quot;"/>');
    expect(xml).toMatch(/<testcase classname="SOC2-002" name="src\/a\.js:3:11 [^"]*" file="src\/a\.js" line="3">\n {6}<failure type="high" message="[^"]*">/);
    expect(xml).toContain('<testsuite name="complianceagent scan errors" tests="1" failures="0" errors="0" skipped="1">');
    expect(xml).not.toContain(GITHUB_TOKEN);
    // Balanced elements: every opened testsuite/testcase is closed.
    for (const tag of ['testsuites', 'testsuite', 'testcase', 'failure']) {
      expect({ tag, open: xml.match(new RegExp(`<${tag}[ >]`, 'g'))?.length ?? 0 }).toEqual({
        tag,
        open: (xml.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0) + (xml.match(new RegExp(`<${tag}[^>]*/>`, 'g'))?.length ?? 0),
      });
    }
  });

  it.each([
    ['markup', '<a href="x">&\'', '&lt;a href=&quot;x&quot;&gt;&amp;&apos;'],
    ['control characters XML cannot hold', 'a\u0000b\u001bc', 'a\uFFFDb\uFFFDc'],
  ])('escapes %s', (_, text, escaped) => {
    expect(xmlEscape(text)).toBe(escaped);
  });
});

describe('GitLab SAST report', () => {
  it('has the fields GitLab requires, stable ids, and no suppressed findings', async () => {
    const dir = makeProject(FILES);
    const result = await scan(dir, { rules: RULES });
    const clock = { startTime: new Date('2026-01-02T03:04:05.678Z'), endTime: new Date('2026-01-02T03:04:09Z') };
    const report = JSON.parse(toGitlabSast(result, { rules: RULES, ...clock })) as {
      version: string;
      scan: Record<string, unknown> & { messages: Array<{ value: string }> };
      vulnerabilities: Array<{ id: string; severity: string; location: unknown; identifiers: Array<{ type: string; value: string }> }>;
    };
    expect(report.version).toBe('15.0.6');
    expect(report.scan).toMatchObject({
      type: 'sast',
      status: 'success',
      start_time: '2026-01-02T03:04:05',
      end_time: '2026-01-02T03:04:09',
      analyzer: { id: 'complianceagent', vendor: { name: 'complianceagent' } },
    });
    expect(report.scan.messages.map((m) => m.value)).toEqual([expect.stringMatching(/^src\/broken\.js:1: parse error: /)]);
    expect(report.vulnerabilities).toHaveLength(1);
    const v = report.vulnerabilities[0]!;
    expect(v.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v).toMatchObject({ severity: 'High', location: { file: 'src/a.js', start_line: 3, end_line: 3 } });
    expect(v.identifiers.map((i) => `${i.type}=${i.value}`)).toEqual(['complianceagent_rule_id=SOC2-002', 'cwe=798', 'cwe=259', 'cwe=321']);
    const again = JSON.parse(toGitlabSast(await scan(dir, { rules: RULES }), { rules: RULES, ...clock })) as typeof report;
    expect(again.vulnerabilities[0]!.id).toBe(v.id);
  });

  it('is written with -f gitlab and --gitlab-output / --junit-output beside the main format', async () => {
    const dir = makeProject(FILES);
    const r = await runCli([
      'scan',
      dir,
      '--no-cache',
      '-f',
      'gitlab',
      '--junit-output',
      join(dir, 'out', 'junit.xml'),
      '--gitlab-output',
      join(dir, 'out', 'gl-sast-report.json'),
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: '15.0.6' });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'out', 'junit.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'gl-sast-report.json'), 'utf8'))).toMatchObject({ scan: { type: 'sast' } });
    expect(r.code).toBe(1);
  });
});
