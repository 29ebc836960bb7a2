import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { Log, Result, Run } from 'sarif';
import { defineRule, type Rule } from '../../src/model/rule.js';
import type { Finding, ScanResult, Severity } from '../../src/types.js';
import { FINGERPRINT_KEY, MAX_SARIF_RESULTS, toSarif, type FindingExtras, type SarifOptions } from '../../src/report/sarif.js';
import { markdownToText, truncate } from '../../src/report/markdown-text.js';
import { pascalCase } from '../../src/util/text.js';
import { SEVERITY_SCORES } from '../../src/report/severity-score.js';

// --- schema validation -----------------------------------------------------------------------------------------

const schemaPath = fileURLToPath(new URL('../schemas/sarif-2.1.0.json', import.meta.url));
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
// Strict mode except `strictRequired`: the OASIS schema lists `required` properties inside `anyOf` branches
// (e.g. reportingDescriptorReference's `anyOf: [{ required: ['index'] }, …]`), which is valid JSON Schema.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
// ajv-formats is CommonJS; `.default` is the plugin both at run time and for NodeNext types.
ajvFormats.default(ajv);
const validateLog = ajv.compile(schema);

function expectValidSarif(log: Log): void {
  // Validate what would be written, not the in-memory object.
  const json = JSON.parse(JSON.stringify(log)) as unknown;
  const ok = validateLog(json);
  if (!ok) console.error(JSON.stringify(validateLog.errors, null, 2));
  expect(validateLog.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

// --- fixtures --------------------------------------------------------------------------------------------------

const ROOT = '/home/dev/checkouts/acme-monorepo/sub/dir';

function fakeRule(over: Partial<Rule> & Pick<Rule, 'id' | 'slug'>): Rule {
  return defineRule({
    title: `Title of ${over.slug}`,
    description: `Why ${over.slug} matters for SOC 2.`,
    remediation: 'Fix it.',
    severity: 'high',
    confidence: 'high',
    controls: ['CC6.1'],
    cwe: ['CWE-306'],
    languages: ['javascript', 'typescript'],
    messages: { found: 'Found {{name}}.' },
    check: () => [],
    ...over,
  });
}

const secretRule = fakeRule({
  id: 'SOC2-002',
  slug: 'hardcoded-secret',
  title: 'Hard-coded secret',
  description: 'Credentials committed to source control can be read by anyone with repository access.',
  severity: 'critical',
  confidence: 'high',
  controls: ['CC6.1', 'CC6.6'],
  cwe: ['CWE-798', 'CWE-259', 'CWE-321'],
});
const authRule = fakeRule({
  id: 'SOC2-001',
  slug: 'missing-authentication',
  title: 'Endpoint without authentication',
  severity: 'high',
  confidence: 'medium',
  controls: ['CC6.1', 'CC6.2'],
  cwe: ['CWE-306'],
});
const loggingRule = fakeRule({
  id: 'SOC2-003',
  slug: 'insufficient-security-logging',
  title: 'Security event not logged',
  severity: 'medium',
  confidence: 'low',
  controls: ['CC7.2'],
  cwe: ['CWE-778', 'CWE-223'],
});
const inputRule = fakeRule({
  id: 'SOC2-004',
  slug: 'missing-input-validation',
  title: 'Input not validated',
  // Long description and more tags than GitHub reads: both must be cut.
  description: `${'Unvalidated input reaches a sink. '.repeat(40)}😀 end`,
  severity: 'low',
  confidence: 'medium',
  controls: ['PI1.1', 'CC6.1', 'CC6.2', 'CC6.3', 'CC6.6'],
  cwe: Array.from({ length: 20 }, (_, i) => `CWE-${100 + i}`),
});
const RULES = [secretRule, inputRule, authRule, loggingRule];

let counter = 0;
function finding(rule: Rule, path: string, line: number, over: Partial<Finding> & FindingExtras = {}): Finding {
  counter += 1;
  return {
    ruleId: rule.id,
    ruleName: rule.slug,
    title: rule.title,
    severity: rule.severity,
    confidence: rule.confidence,
    controls: [...rule.controls],
    cwe: [...rule.cwe],
    message: `${rule.title} in ${path}. More detail follows.`,
    location: { path, startLine: line, startColumn: 5, endLine: line, endColumn: 17 },
    snippet: "const apiKey = '********';",
    fingerprint: `ca1:${counter.toString(16).padStart(8, '0')}`,
    ...over,
  };
}

function scanResult(over: Partial<ScanResult> = {}): ScanResult {
  return {
    tool: { name: 'complianceagent', version: '0.1.0' },
    root: ROOT,
    repoPrefix: 'sub/dir',
    rulesRun: RULES.map((r) => r.id),
    findings: [
      finding(secretRule, 'sub/dir/src/config.ts', 12, {
        message: `Hard-coded AWS access key in ${ROOT}/src/config.ts. Move it to a secret manager.`,
        properties: { secretKind: 'aws-access-key-id', entropy: 4.2, inTest: false },
        fix: {
          description: 'Read the key from the environment.',
          replacements: [{ path: 'sub/dir/src/config.ts', startLine: 12, startColumn: 16, endLine: 12, endColumn: 26, text: 'process.env.API_KEY' }],
        },
      }),
      finding(authRule, 'sub/dir/app.js', 40, {
        codeFlow: [
          { path: 'sub/dir/app.js', line: 10, column: 1, message: 'Route registered here.' },
          { path: './sub/dir/routes/users.js', line: 22, column: 3, message: 'Handler reads user data.' },
        ],
      }),
      finding(loggingRule, 'sub/dir/app.js', 40, { severity: 'low' }),
      finding(secretRule, 'sub/dir/test/fixtures.ts', 3, {
        suppression: { kind: 'inSource', justification: 'Test fixture with a fake key.' },
      }),
      finding(inputRule, './sub/dir/src/a b#c.ts', 7),
      finding(authRule, 'sub/dir/app.js', 5),
      finding(secretRule, 'sub/dir/.env', 1, {
        suppression: { kind: 'external', justification: 'Baselined.' },
      }),
    ],
    errors: [
      { path: 'sub/dir/src/broken.ts', kind: 'parse', message: `Unexpected token in ${ROOT}/src/broken.ts`, line: 9 },
      { path: 'sub/dir/src/huge.js', kind: 'timeout', message: 'Parsing took longer than 5000 ms' },
    ],
    coverage: {
      filesByLanguage: { typescript: 12, javascript: 30, config: 2 },
      linesScanned: 4321,
      skipped: [
        { path: 'sub/dir/dist/bundle.js', reason: 'too-large' },
        { path: 'sub/dir/logo.png', reason: 'binary' },
        { path: 'sub/dir/vendor/x.js', reason: 'too-large' },
      ],
    },
    ...over,
  };
}

const HELP: Record<string, string> = {
  'SOC2-002': [
    '# Hard-coded secret',
    '',
    'Secrets such as **API keys** and `SECRET_KEY` values must not be in _source_ code.',
    '',
    '## Fix',
    '',
    '* Use a [secret manager](https://example.com/secrets).',
    '* See <https://owasp.org>.',
    '',
    '```js',
    'const key = process.env.API_KEY;',
    '```',
  ].join('\n'),
};

function options(over: Partial<SarifOptions> = {}): SarifOptions {
  return { rules: RULES, ruleHelp: (id) => HELP[id], ...over };
}

function onlyRun(log: Log): Run {
  expect(log.runs).toHaveLength(1);
  return log.runs[0]!;
}

/** Every artifact URI anywhere in the log. */
function allUris(log: Log): string[] {
  const uris: string[] = [];
  JSON.stringify(log, (key, value: unknown) => {
    if (key === 'artifactLocation' && value && typeof value === 'object') uris.push((value as { uri: string }).uri);
    return value;
  });
  return uris;
}

// --- tests -----------------------------------------------------------------------------------------------------

describe('toSarif: schema', () => {
  it('produces a log that validates against the OASIS SARIF 2.1.0 schema (full profile)', () => {
    expectValidSarif(toSarif(scanResult(), options()));
  });

  it('produces a log that validates against the schema (github profile)', () => {
    expectValidSarif(toSarif(scanResult(), options({ profile: 'github', category: 'complianceagent/backend/' })));
  });

  it('uses a validator that rejects invalid SARIF (sanity check of the test itself)', () => {
    const log = JSON.parse(JSON.stringify(toSarif(scanResult(), options()))) as Log;
    const result = log.runs[0]!.results![0]! as unknown as Record<string, unknown>;
    result.level = 'critical';
    (log.runs[0]!.results![1]!.locations![0]!.physicalLocation!.region as Record<string, unknown>).startLine = 0;
    expect(validateLog(log)).toBe(false);
    const paths = (validateLog.errors ?? []).map((e: { instancePath: string }) => e.instancePath);
    expect(paths).toContain('/runs/0/results/0/level');
    expect(paths).toContain('/runs/0/results/1/locations/0/physicalLocation/region/startLine');
  });

  it('validates with no findings, errors or help docs', () => {
    const log = toSarif(scanResult({ findings: [], errors: [], coverage: { filesByLanguage: {}, linesScanned: 0, skipped: [] } }), { rules: [] });
    expectValidSarif(log);
    expect(onlyRun(log).results).toEqual([]);
  });

  it('has version, $schema and the tool driver', () => {
    const log = toSarif(scanResult(), options());
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const driver = onlyRun(log).tool.driver;
    expect(driver.name).toBe('complianceagent');
    expect(driver.semanticVersion).toBe('0.1.0');
    expect(driver.informationUri).toBe('https://github.com/complianceagent/complianceagent');
    expect(onlyRun(log).columnKind).toBe('utf16CodeUnits');
  });
});

describe('toSarif: GitHub code scanning requirements', () => {
  it('has unique rule ids, sorted, exactly the rules that ran', () => {
    const run = onlyRun(toSarif(scanResult(), options({ rules: [...RULES, secretRule] })));
    const ids = run.tool.driver.rules!.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['SOC2-001', 'SOC2-002', 'SOC2-003', 'SOC2-004']);
  });

  it('has exactly one run with automationDetails.id (the category)', () => {
    expect(onlyRun(toSarif(scanResult(), options())).automationDetails?.id).toBe('complianceagent/');
    expect(onlyRun(toSarif(scanResult(), options({ category: 'complianceagent/api/' }))).automationDetails?.id).toBe('complianceagent/api/');
    // A category without its trailing slash would make GitHub read the last part as a run id.
    expect(onlyRun(toSarif(scanResult(), options({ category: 'complianceagent/api' }))).automationDetails?.id).toBe('complianceagent/api/');
  });

  it('gives every rule a numeric security-severity string, ≤ 20 tags and fullDescription ≤ 1024', () => {
    const rules = onlyRun(toSarif(scanResult(), options())).tool.driver.rules!;
    for (const rule of rules) {
      const score = rule.properties?.['security-severity'] as unknown;
      expect(typeof score).toBe('string');
      const value = Number(score);
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0.1);
      expect(value).toBeLessThanOrEqual(10);
      const tags = rule.properties?.tags as string[];
      expect(tags.length).toBeLessThanOrEqual(20);
      expect(tags[0]).toBe('security');
      expect(rule.fullDescription!.text.length).toBeLessThanOrEqual(1024);
      expect(rule.shortDescription!.text.length).toBeGreaterThan(0);
      expect(rule.help!.text.length).toBeGreaterThan(0);
      expect(rule.help!.markdown!.length).toBeGreaterThan(0);
    }
  });

  it('maps severities to GitHub bands and levels from one table', () => {
    const bands: Record<Severity, [number, number]> = {
      critical: [9.0, 10],
      high: [7.0, 8.9],
      medium: [4.0, 6.9],
      low: [0.1, 3.9],
    };
    for (const [severity, [lo, hi]] of Object.entries(bands) as [Severity, [number, number]][]) {
      const score = Number(SEVERITY_SCORES[severity].securitySeverity);
      expect(score).toBeGreaterThanOrEqual(lo);
      expect(score).toBeLessThanOrEqual(hi);
    }
    const rules = onlyRun(toSarif(scanResult(), options())).tool.driver.rules!;
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('SOC2-002')!.properties!['security-severity']).toBe('9.5');
    expect(byId.get('SOC2-002')!.defaultConfiguration!.level).toBe('error');
    expect(byId.get('SOC2-001')!.properties!['security-severity']).toBe('8.0');
    expect(byId.get('SOC2-001')!.defaultConfiguration!.level).toBe('error');
    expect(byId.get('SOC2-003')!.properties!['security-severity']).toBe('5.5');
    expect(byId.get('SOC2-003')!.defaultConfiguration!.level).toBe('warning');
    expect(byId.get('SOC2-004')!.properties!['security-severity']).toBe('3.0');
    expect(byId.get('SOC2-004')!.defaultConfiguration!.level).toBe('note');
  });

  it('describes rules: PascalCase name, precision, ordered tags, help text without markdown', () => {
    const rules = onlyRun(toSarif(scanResult(), options())).tool.driver.rules!;
    const secret = rules.find((r) => r.id === 'SOC2-002')!;
    expect(secret.name).toBe('HardcodedSecret');
    expect(secret.shortDescription!.text).toBe('Hard-coded secret');
    expect(secret.properties!.precision).toBe('high');
    expect(secret.properties!.tags).toEqual(['security', 'soc2/CC6.1', 'soc2/CC6.6', 'external/cwe/cwe-798', 'external/cwe/cwe-259', 'external/cwe/cwe-321']);
    expect(secret.help!.markdown).toBe(HELP['SOC2-002']);
    expect(secret.help!.text).toBe(
      [
        'Hard-coded secret',
        '',
        'Secrets such as API keys and SECRET_KEY values must not be in source code.',
        '',
        'Fix',
        '',
        '- Use a secret manager (https://example.com/secrets).',
        '- See https://owasp.org.',
        '',
        '    const key = process.env.API_KEY;',
      ].join('\n'),
    );
    const auth = rules.find((r) => r.id === 'SOC2-001')!;
    expect(auth.name).toBe('MissingAuthentication');
    expect(auth.properties!.precision).toBe('medium');
    // No docs given: a help page is generated from the rule's metadata.
    expect(auth.help!.markdown).toContain('# Endpoint without authentication');
    expect(auth.help!.markdown).toContain('CC6.2');
    expect(auth.help!.text).not.toMatch(/[#[\]]/);
    const input = rules.find((r) => r.id === 'SOC2-004')!;
    expect(input.properties!.tags).toHaveLength(20);
    expect((input.properties!.tags as string[]).slice(0, 6)).toEqual(['security', 'soc2/PI1.1', 'soc2/CC6.1', 'soc2/CC6.2', 'soc2/CC6.3', 'soc2/CC6.6']);
    expect(input.fullDescription!.text.endsWith('…')).toBe(true);
  });

  it('sets helpUri only when one is given', () => {
    const withUri = toSarif(scanResult(), options({ ruleHelpUri: (id) => (id === 'SOC2-002' ? 'https://example.com/rules/hardcoded-secret' : undefined) }));
    expectValidSarif(withUri);
    const rules = onlyRun(withUri).tool.driver.rules!;
    expect(rules.find((r) => r.id === 'SOC2-002')!.helpUri).toBe('https://example.com/rules/hardcoded-secret');
    expect(rules.find((r) => r.id === 'SOC2-001')!.helpUri).toBeUndefined();
  });

  it('writes repo-root-relative paths (no ./, /, file:, backslash) when a subfolder was scanned', () => {
    const log = toSarif(scanResult(), options());
    const uris = allUris(log);
    expect(uris.length).toBeGreaterThan(10);
    for (const uri of uris) {
      expect(uri).not.toMatch(/^\.\.?\//);
      expect(uri).not.toMatch(/^\//);
      expect(uri).not.toMatch(/^file:/i);
      expect(uri).not.toContain('\\');
      expect(uri).not.toMatch(/^sub\/dir\/sub\/dir\//); // never prefixed twice
      expect(uri.startsWith('sub/dir/')).toBe(true);
    }
    const run = onlyRun(log);
    expect(run.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri)).toContain('sub/dir/app.js');
    expect(JSON.stringify(log)).not.toContain('uriBaseId');
    expect(run.originalUriBaseIds).toBeUndefined();
  });

  it('normalises ./ prefixes, backslashes, absolute paths under the root, and percent-encodes', () => {
    const result = scanResult({
      findings: [finding(authRule, '.\\sub\\dir\\win.js', 1), finding(authRule, `${ROOT}/abs.js`, 1), finding(inputRule, './sub/dir/src/a b#c.ts', 7)],
      errors: [{ path: `${ROOT}/err.js`, kind: 'read', message: 'EACCES' }],
    });
    const log = toSarif(result, options());
    expectValidSarif(log);
    expect(allUris(log).sort()).toEqual(['sub/dir/abs.js', 'sub/dir/err.js', 'sub/dir/src/a%20b%23c.ts', 'sub/dir/win.js']);
  });

  it('never writes the absolute scan root', () => {
    const text = JSON.stringify(toSarif(scanResult(), options()));
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain('/home/dev');
    // The root in messages is replaced by the repo-relative prefix.
    expect(text).toContain('Hard-coded AWS access key in sub/dir/src/config.ts.');
    expect(text).toContain('parse error: Unexpected token in sub/dir/src/broken.ts');
  });

  it('rejects a finding path outside the repository', () => {
    expect(() => toSarif(scanResult({ findings: [finding(authRule, '/etc/passwd', 1)] }), options())).toThrow(/not inside the repository/);
    expect(() => toSarif(scanResult({ findings: [finding(authRule, '../x.js', 1)] }), options())).toThrow();
  });

  it('gives each result a ruleIndex that points at the rule with the same id', () => {
    const run = onlyRun(toSarif(scanResult(), options()));
    for (const result of run.results!) {
      expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
    }
  });

  it('throws when a finding belongs to a rule that is not in options.rules', () => {
    expect(() => toSarif(scanResult(), options({ rules: [authRule] }))).toThrow(/SOC2-002/);
  });

  it('sorts results by path, line, column, rule and is deterministic', () => {
    const result = scanResult();
    const run = onlyRun(toSarif(result, options()));
    const keys = run.results!.map((r) => {
      const loc = r.locations![0]!.physicalLocation!;
      return [loc.artifactLocation!.uri!, loc.region!.startLine!, loc.region!.startColumn!, r.ruleId!] as const;
    });
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0));
    expect(keys).toEqual(sorted);
    expect(keys.slice(0, 3).map((k) => k.join(':'))).toEqual(['sub/dir/.env:1:5:SOC2-002', 'sub/dir/app.js:5:5:SOC2-001', 'sub/dir/app.js:40:5:SOC2-001']);
    const shuffled = { ...result, findings: [...result.findings].reverse(), errors: [...result.errors].reverse() };
    expect(JSON.stringify(toSarif(shuffled, options()))).toBe(JSON.stringify(toSarif(result, options())));
  });

  it('writes level, message, region, snippet, fingerprint and properties for each result', () => {
    const run = onlyRun(toSarif(scanResult(), options()));
    const secret = run.results!.find((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri === 'sub/dir/src/config.ts')!;
    expect(secret.ruleId).toBe('SOC2-002');
    expect(secret.level).toBe('error');
    expect(secret.message.text).toMatch(/^Hard-coded AWS access key in sub\/dir\/src\/config\.ts\./);
    expect(secret.locations).toHaveLength(1);
    expect(secret.locations![0]!.physicalLocation!.region).toEqual({
      startLine: 12,
      startColumn: 5,
      endLine: 12,
      endColumn: 17,
      snippet: { text: "const apiKey = '********';" },
    });
    expect(Object.keys(secret.partialFingerprints!)).toEqual([FINGERPRINT_KEY]);
    expect(secret.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^ca1:/);
    expect(secret.properties).toEqual({
      severity: 'critical',
      confidence: 'high',
      controls: ['CC6.1', 'CC6.6'],
      entropy: 4.2,
      inTest: false,
      secretKind: 'aws-access-key-id',
    });
    // The finding's own severity, not the rule's default.
    const logging = run.results!.find((r) => r.ruleId === 'SOC2-003')!;
    expect(logging.level).toBe('note');
    expect(JSON.stringify(run)).not.toContain('primaryLocationLineHash');
  });

  it('keeps suppressed results with suppressions in the full profile and drops them for GitHub', () => {
    const full = onlyRun(toSarif(scanResult(), options()));
    const suppressed = full.results!.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(2);
    expect(suppressed.map((r) => r.suppressions)).toEqual([
      [{ kind: 'external', justification: 'Baselined.' }],
      [{ kind: 'inSource', justification: 'Test fixture with a fake key.' }],
    ]);
    const github = onlyRun(toSarif(scanResult(), options({ profile: 'github' })));
    expect(github.results).toHaveLength(full.results!.length - 2);
    expect(github.results!.some((r) => r.suppressions)).toBe(false);
    expect(github.properties!.suppressedResultsOmitted).toBe(2);
    for (const result of github.results!) {
      expect(github.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
    }
  });

  it('writes codeFlows and fixes in shapes the schema accepts', () => {
    const log = toSarif(scanResult(), options());
    expectValidSarif(log);
    const results = onlyRun(log).results!;
    const flow = results.find((r) => r.codeFlows)!;
    expect(flow.codeFlows).toEqual([
      {
        threadFlows: [
          {
            locations: [
              {
                location: {
                  physicalLocation: { artifactLocation: { uri: 'sub/dir/app.js' }, region: { startLine: 10, startColumn: 1 } },
                  message: { text: 'Route registered here.' },
                },
              },
              {
                location: {
                  physicalLocation: {
                    artifactLocation: { uri: 'sub/dir/routes/users.js' },
                    region: { startLine: 22, startColumn: 3 },
                  },
                  message: { text: 'Handler reads user data.' },
                },
              },
            ],
          },
        ],
      },
    ]);
    const fixed = results.find((r) => r.fixes)!;
    expect(fixed.fixes).toEqual([
      {
        description: { text: 'Read the key from the environment.' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'sub/dir/src/config.ts' },
            replacements: [
              {
                deletedRegion: { startLine: 12, startColumn: 16, endLine: 12, endColumn: 26 },
                insertedContent: { text: 'process.env.API_KEY' },
              },
            ],
          },
        ],
      },
    ]);
    // Fixes live on results, never on rules.
    expect(onlyRun(log).tool.driver.rules!.some((r) => 'fixes' in r)).toBe(false);
  });

  it('ignores malformed extras instead of writing invalid SARIF', () => {
    const bad = finding(authRule, 'sub/dir/x.js', 1) as Finding & Record<string, unknown>;
    bad.codeFlow = [{ path: 42 }, 'nope'];
    bad.fix = { description: 'x', replacements: [] };
    bad.suppression = { kind: 'whatever' };
    const log = toSarif(scanResult({ findings: [bad] }), options());
    expectValidSarif(log);
    const result = onlyRun(log).results![0]!;
    expect(result.codeFlows).toBeUndefined();
    expect(result.fixes).toBeUndefined();
    expect(result.suppressions).toBeUndefined();
  });
});

describe('toSarif: invocation and coverage', () => {
  it('reports scan errors as warnings on a successful invocation', () => {
    const run = onlyRun(toSarif(scanResult(), options()));
    expect(run.invocations).toHaveLength(1);
    const invocation = run.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.startTimeUtc).toBeUndefined();
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: 'parse error: Unexpected token in sub/dir/src/broken.ts' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'sub/dir/src/broken.ts' }, region: { startLine: 9 } } }],
      },
      {
        level: 'warning',
        message: { text: 'timeout error: Parsing took longer than 5000 ms' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'sub/dir/src/huge.js' } } }],
      },
    ]);
  });

  it('puts coverage counts (not skipped files) in run.properties', () => {
    const run = onlyRun(toSarif(scanResult(), options()));
    expect(run.properties!.coverage).toEqual({
      filesScanned: 44,
      filesByLanguage: { config: 2, javascript: 30, typescript: 12 },
      linesScanned: 4321,
      skipped: { total: 3, byReason: { binary: 1, 'too-large': 2 } },
      scanErrors: 2,
    });
    expect(JSON.stringify(run)).not.toContain('bundle.js');
  });

  it(`keeps the ${MAX_SARIF_RESULTS} most severe results and warns about the rest`, () => {
    const findings: Finding[] = [];
    for (let i = 0; i < MAX_SARIF_RESULTS; i += 1) findings.push(finding(loggingRule, `sub/dir/f${i % 97}.js`, i + 1));
    findings.push(finding(secretRule, 'sub/dir/zzz.js', 1), finding(secretRule, 'sub/dir/zzz.js', 2));
    const run = onlyRun(toSarif(scanResult({ findings, errors: [] }), options()));
    const results = run.results!;
    expect(results).toHaveLength(MAX_SARIF_RESULTS);
    expect(results.filter((r) => r.ruleId === 'SOC2-002')).toHaveLength(2);
    const notes = run.invocations![0]!.toolExecutionNotifications!;
    expect(notes).toHaveLength(1);
    expect(notes[0]!.level).toBe('warning');
    expect(notes[0]!.message.text).toMatch(/^2 result\(s\) were dropped/);
    expect(run.properties!.resultsDroppedOverLimit).toBe(2);
    // Still sorted after the cut.
    const uris = results.map((r: Result) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!);
    expect(uris).toEqual([...uris].sort());
  });
});

describe('text helpers', () => {
  it('pascalCases slugs', () => {
    expect(pascalCase('hardcoded-secret')).toBe('HardcodedSecret');
    expect(pascalCase('error-exposes-internals')).toBe('ErrorExposesInternals');
  });

  it('truncates without splitting a surrogate pair', () => {
    const text = `${'a'.repeat(1022)}😀tail`;
    const cut = truncate(text, 1024);
    expect(cut.length).toBeLessThanOrEqual(1024);
    expect(cut.endsWith('…')).toBe(true);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false);
    expect(truncate('short', 1024)).toBe('short');
  });

  it('renders markdown as plain text', () => {
    expect(markdownToText('# Title\n\n> **bold** and *it* and `a_b*c`\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |')).toBe(
      'Title\n\nbold and it and a_b*c\n\n\na | b\n1 | 2'.replace('\n\n\n', '\n\n'),
    );
    expect(markdownToText('Use snake_case_names and \\*literal\\* stars.')).toBe('Use snake_case_names and *literal* stars.');
    expect(markdownToText('See [docs](./docs.md) and ![img](x.png)<br/>.')).toBe('See docs and img.');
  });
});

// Writes a sample file for Microsoft's SARIF Multitool: SARIF_OUT=/tmp/out.sarif npx vitest run test/report/sarif.test.ts
describe.runIf(Boolean(process.env.SARIF_OUT))('sample output', () => {
  it('writes the sample SARIF files', () => {
    const out = process.env.SARIF_OUT!;
    writeFileSync(out, `${JSON.stringify(toSarif(scanResult(), options()), null, 2)}\n`);
    writeFileSync(out.replace(/\.sarif$/, '.github.sarif'), `${JSON.stringify(toSarif(scanResult(), options({ profile: 'github' })), null, 2)}\n`);
  });
});
