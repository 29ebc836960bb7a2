import { describe, expect, it } from 'vitest';
import { assessControls, controlsFail, type AssessInput, type ControlAssessment } from '../../src/controls/control-evidence.js';
import { toControlMatrixCsv, toControlsTable } from '../../src/controls/control-matrix.js';
import type { Finding, Severity } from '../../src/types.js';
import type { Endpoint } from '../../src/model/endpoints.js';
import { emptyFacts, type FileFacts } from '../../src/model/facts.js';
import type { RepoSignals } from '../../src/evidence/repo-signals.js';

const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
const noRepo: RepoSignals = { inGitRepository: false, lockfiles: [], pinnedRequirements: [], dependencyUpdates: [], ci: [] };

function file(path: string, imports: Array<[string, string[]]>): FileFacts {
  const facts = emptyFacts(path, path.endsWith('.py') ? 'python' : 'javascript', 10);
  facts.imports = imports.map(([module, names], i) => ({ module, names: names.map((n) => ({ local: n, imported: n })), line: i + 1 }));
  return facts;
}

function secretFinding(path: string, severity: Severity, suppressed = false): Finding {
  return {
    ruleId: 'SOC2-002',
    ruleName: 'HardcodedSecret',
    title: 'Hard-coded credential or secret',
    severity,
    confidence: 'high',
    controls: ['CC6.1', 'CC6.6'],
    cwe: ['CWE-798'],
    message: 'Hard-coded password in `x`.',
    location: { path, startLine: 3, startColumn: 1, endLine: 3, endColumn: 10 },
    snippet: "const x = '****';",
    fingerprint: `ca1:${path}`,
    ...(suppressed ? { suppression: { kind: 'inSource' as const, justification: 'test-mode key' } } : {}),
  };
}

function endpoint(path: string, guards: Endpoint['guards']): Endpoint {
  return { framework: 'express', methods: ['GET'], path, file: 'src/app.js', range, guards, optOuts: [] };
}

function assess(overrides: Partial<AssessInput>): Map<string, ControlAssessment> {
  const input: AssessInput = {
    findings: [],
    availableRules: ['SOC2-002'],
    rulesRun: ['SOC2-002'],
    model: { files: [], endpoints: [], apps: [] },
    repo: noRepo,
    threshold: 'low',
    ...overrides,
  };
  return new Map(assessControls(input).map((a) => [a.id, a]));
}

function statuses(result: Map<string, ControlAssessment>, ids: string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [id, result.get(id)!.status]));
}

describe('control status', () => {
  it('is Implemented with evidence and no finding, Partially implemented with both, Gap with findings only', () => {
    const files = [file('src/users.js', [['bcrypt', ['default']]])];
    const result = assess({ model: { files, endpoints: [], apps: [] }, findings: [secretFinding('src/db.js', 'critical')] });
    // CC6.6 has bcrypt and a finding; CC6.1 has the finding and no evidence.
    expect(statuses(result, ['CC6.6', 'CC6.1'])).toEqual({ 'CC6.6': 'partial', 'CC6.1': 'gap' });
    const clean = assess({ model: { files, endpoints: [], apps: [] } });
    // One import of a hasher shows the mechanism exists, not that it protects the data: never Implemented on its own.
    expect(statuses(clean, ['CC6.6', 'CC6.1'])).toEqual({ 'CC6.6': 'not-assessed', 'CC6.1': 'not-assessed' });
    expect(clean.get('CC6.6')!.evidence).toEqual([
      { kind: 'Password hashing', summary: 'bcrypt imported in 1 file', references: [{ path: 'src/users.js', line: 1 }] },
    ]);
    expect(clean.get('CC6.6')!.reasons).toContain(
      'The evidence shows the mechanism exists (library imports); where it applies across the code is not measured.',
    );
    // Authentication recognised on every endpoint that needs it, and the check ran: Implemented, citing the guard's file.
    const auth = { kind: 'authentication' as const, name: 'requireAuth', scope: 'router' as const, path: 'src/middleware/auth.js', line: 3 };
    const covered = assess({ model: { files, endpoints: [endpoint('/a', [auth]), { ...endpoint('/health', []), publicByDesign: 'health check' }], apps: [] } });
    expect(covered.get('CC6.1')!.status).toBe('implemented');
    expect(covered.get('CC6.1')!.reasons).toContain('Authentication recognised on 1 of 1 endpoint that need it (1 more public by design or opted out).');
    expect(covered.get('CC6.1')!.evidence[0]!.references).toEqual([{ path: 'src/middleware/auth.js', line: 3 }]);
  });

  it('does not count suppressed findings or findings below the threshold, and says so', () => {
    const result = assess({ findings: [secretFinding('src/a.js', 'low'), secretFinding('src/b.js', 'critical', true)], threshold: 'medium' });
    const cc61 = result.get('CC6.1')!;
    expect(cc61.status).toBe('not-assessed');
    expect(cc61.belowThreshold.map((f) => f.location.path)).toEqual(['src/a.js']);
    expect(cc61.exceptions.map((f) => f.location.path)).toEqual(['src/b.js']);
    expect(cc61.reasons).toContain('1 open finding below medium severity, listed but not counted (SOC2-002 ×1).');
    expect(cc61.reasons).toContain('1 finding documented as an exception (suppressed with a justification).');
  });

  it('ignores libraries imported only by tests', () => {
    const files = [file('test/users.test.js', [['bcrypt', ['default']]]), file('tests/test_app.py', [['passlib.hash', ['argon2']]])];
    expect(assess({ model: { files, endpoints: [], apps: [] } }).get('CC6.6')!.evidence).toEqual([]);
  });

  it('names the mapped rules not available yet or switched off', () => {
    const result = assess({ availableRules: ['SOC2-002'], rulesRun: [] });
    expect(result.get('CC6.1')!.reasons).toEqual(
      expect.arrayContaining(['SOC2-001, SOC2-008: not assessed by automated checks yet.', 'SOC2-002: switched off in the configuration.']),
    );
  });

  it('is not rated Implemented on evidence alone when no check for the control ran', () => {
    const files = [file('src/app.js', [['helmet', ['default']]])];
    const cc67 = assess({ model: { files, endpoints: [], apps: [] } }).get('CC6.7')!; // mapped to SOC2-009, not available here
    expect(cc67.evidence.map((e) => e.summary)).toEqual(['helmet imported in 1 file']);
    expect(cc67.status).toBe('not-assessed');
    expect(cc67.reasons).toContain(
      "The evidence does not cover the control's scope, so the control is not rated Implemented; absence of findings is not evidence.",
    );
    const checked = assess({ model: { files, endpoints: [], apps: [] }, availableRules: ['SOC2-009'], rulesRun: ['SOC2-009'] }).get('CC6.7')!;
    expect(checked.status).toBe('not-assessed'); // a library import does not cover the scope, even with the check run
  });

  it('measures endpoint coverage from the endpoint model', () => {
    const auth = { kind: 'authentication' as const, name: 'requireAuth', scope: 'router' as const, path: 'src/middleware/auth.js', line: 3 };
    const endpoints = [endpoint('/a', [auth]), endpoint('/b', [auth]), endpoint('/login', [])];
    const cc61 = assess({ model: { files: [], endpoints, apps: [] } }).get('CC6.1')!;
    expect(cc61.evidence).toEqual([
      {
        kind: 'Endpoint authentication',
        summary: 'requireAuth (src/middleware/auth.js) covers 2 of 3 endpoints',
        references: [{ path: 'src/middleware/auth.js', line: 3 }],
      },
    ]);
    // SOC2-002 ran and found nothing, but absence of findings is not evidence: 2 of 3 endpoints is part of the scope.
    expect(cc61.status).toBe('partial');
    expect(cc61.reasons).toContain('Authentication recognised on 2 of 3 endpoints that need it.');
    const inline = {
      kind: 'authentication' as const,
      name: 'if (!req.user) return res.sendStatus(401)',
      scope: 'handler' as const,
      path: 'src/routes/me.js',
      line: 7,
    };
    const named = assess({ model: { files: [], endpoints: [endpoint('/me', [inline])], apps: [] } }).get('CC6.1')!;
    expect(named.evidence[0]!.summary).toBe('checks in handlers (src/routes/me.js) covers 1 of 1 endpoint');
    const none = assess({}).get('CC6.1')!;
    expect(none.reasons).toContain('No HTTP endpoints were found, so endpoint coverage could not be measured.');
  });

  it('rates A1.1 by rate limiting on the sign-in, sign-up and password endpoints SOC2-006 checks, and says so', () => {
    const limit = {
      kind: 'rate-limit' as const,
      name: '@ratelimit(method="POST", limit=10, interval=5)',
      scope: 'route' as const,
      path: 'app/auth.py',
      line: 9,
    };
    const post = (path: string, guards: Endpoint['guards']) => ({ ...endpoint(path, guards), methods: ['POST'] });
    const run = (endpoints: Endpoint[]) =>
      assess({ model: { files: [], endpoints, apps: [] }, availableRules: ['SOC2-006'], rulesRun: ['SOC2-006'] }).get('A1.1')!;
    const all = run([post('/login', [limit]), post('/register', [limit]), endpoint('/items', []), post('/items', [])]);
    expect(all.status).toBe('implemented');
    expect(all.reasons).toContain(
      'Rate limiting recognised on 2 of 2 sign-in, sign-up, password, one-time-code or token endpoints (those SOC2-006 checks); 2 of 4 endpoints in all.',
    );
    expect(all.evidence[0]!.summary).toBe('@ratelimit(…) (app/auth.py) covers 2 of 4 endpoints');
    const some = run([post('/login', [limit]), post('/reset-password', []), endpoint('/items', [])]);
    expect(some.status).not.toBe('implemented');
    expect(some.reasons.join('\n')).toContain('Rate limiting recognised on 1 of 2 sign-in');
    // Rate limiting on a search endpoint, with nothing SOC2-006 checks, covers no scope: not Implemented.
    expect(run([post('/search', [limit])]).status).not.toBe('implemented');
  });

  it('takes CC7.1 and CC8.1 evidence from repository files', () => {
    const repo: RepoSignals = {
      inGitRepository: true,
      lockfiles: ['package-lock.json'],
      pinnedRequirements: [],
      dependencyUpdates: [{ tool: 'Dependabot', path: '.github/dependabot.yml', ecosystems: ['npm'] }],
      ci: [{ path: '.github/workflows/ci.yml', system: 'GitHub Actions', tests: ['npm/yarn/pnpm test'], securityScans: ['CodeQL'] }],
      codeowners: '.github/CODEOWNERS',
    };
    const result = assess({ repo });
    expect(result.get('CC7.1')!.evidence.map((e) => `${e.kind}: ${e.summary}`)).toEqual([
      'Dependency updates: Dependabot configuration (npm)',
      'Pinned dependencies: package-lock.json',
      'Security scanning in CI: GitHub Actions: CodeQL',
    ]);
    expect(result.get('CC8.1')!.evidence.map((e) => e.kind)).toEqual(['Version control', 'Automated tests in CI', 'Code review ownership']);
    // Tracking, CI and CODEOWNERS do not show that the changes were reviewed: without the period's figures, Not assessed.
    expect(statuses(result, ['CC7.1', 'CC8.1'])).toEqual({ 'CC7.1': 'implemented', 'CC8.1': 'not-assessed' });
    const figures = (exceptions: number) => ({
      period: { start: '2024-01-01', end: '2024-12-31' },
      branch: 'main',
      head: 'a'.repeat(40),
      shallow: false,
      changes: 427,
      pullRequests: 17,
      directPushes: 410,
      branchMerges: 0,
      committedByHostingService: 0,
      reviewed: 427 - exceptions,
      approved: 0,
      authors: 1,
      exceptions: Array.from({ length: exceptions }, (_, i) => ({
        hash: String(i),
        date: '2024-01-01',
        author: 'A',
        kind: 'direct-push' as const,
        subject: 's',
        reason: 'r',
      })),
    });
    // Code scanning alone (CodeQL) finds no vulnerable dependency: Partially implemented, and said so.
    const codeOnly = assess({
      repo: { ...noRepo, ci: [{ path: '.github/workflows/codeql.yml', system: 'GitHub Actions', tests: [], securityScans: ['CodeQL'] }] },
    }).get('CC7.1')!;
    expect(codeOnly.status).toBe('partial');
    expect(codeOnly.reasons).toContain(
      'Code is scanned in CI, but nothing detects vulnerable dependencies (no Dependabot or Renovate configuration, no dependency scan step).',
    );
    expect(codeOnly.reasons).toContain('No lockfile or fully pinned requirements file at the repository root or in the scanned folder.');
    const partial = assess({ repo: { ...repo, changeReview: figures(410) } }).get('CC8.1')!;
    expect(partial.status).toBe('partial');
    expect(partial.reasons.join(' ')).toContain('410 of 427 changes pushed directly without review evidence');
    expect(partial.evidence[0]!.kind).toBe('Change review');
    expect(assess({ repo: { ...repo, changeReview: figures(0) } }).get('CC8.1')!.status).toBe('implemented');
    expect(assess({ repo: { ...repo, changeReview: { ...figures(0), shallow: true } } }).get('CC8.1')!.status).toBe('not-assessed');
    expect(assess({ repo: { ...repo, changeReview: { ...figures(0), changes: 0 } } }).get('CC8.1')!.status).toBe('not-assessed');
    expect(statuses(assess({}), ['CC7.1', 'CC8.1'])).toEqual({ 'CC7.1': 'not-assessed', 'CC8.1': 'not-assessed' });
  });

  it('reports controls outside code as Not assessed whatever the evidence', () => {
    const result = assess({});
    expect(result.get('A1.2')!.status).toBe('not-assessed');
    expect(result.get('A1.2')!.assessableFromCode).toBe(false);
  });
});

describe('controlsFail', () => {
  const files = [file('src/users.js', [['bcrypt', ['default']]])];
  const withGap = [...assess({ findings: [secretFinding('src/db.js', 'high')], model: { files, endpoints: [], apps: [] } }).values()];
  const noGap = [...assess({ model: { files, endpoints: [], apps: [] } }).values()];
  it.each([
    ['gap', withGap, true],
    ['gap', noGap, false],
    ['partial', withGap, true],
    ['partial', noGap, false],
    ['not-assessed', noGap, true],
    ['none', withGap, false],
  ] as const)('--fail-on %s', (failOn, assessments, fails) => {
    expect(controlsFail(assessments, failOn)).toBe(fails);
  });
});

describe('control matrix', () => {
  it('writes CSV cells with commas and quotes escaped, one row per control', () => {
    const assessments = assessControls({
      findings: [secretFinding('src/a,b.js', 'high')],
      availableRules: ['SOC2-002'],
      rulesRun: ['SOC2-002'],
      repo: noRepo,
      threshold: 'low',
    });
    const lines = toControlMatrixCsv(assessments).split('\r\n');
    expect(lines[0]).toBe('control,title,family,status,evidence_count,open_findings,below_threshold,exceptions,evidence,findings,reasons,rules');
    expect(lines.filter((l) => l !== '')).toHaveLength(assessments.length + 1);
    expect(lines[1]).toContain(',Gap,0,1,0,0,,"SOC2-002 high src/a,b.js:3",');
    expect(lines[1]!.startsWith('CC6.1,Logical access security,Security: logical access,Gap,')).toBe(true);
  });

  it('never says compliant', () => {
    const table = toControlsTable(assessControls({ findings: [], availableRules: [], rulesRun: [], repo: noRepo, threshold: 'low' }));
    expect(table).not.toMatch(/\bcompliant\b/i);
    expect(table).toContain('Automated checks support an audit and do not replace one');
  });
});

describe('the ComplianceAgent SDK as evidence (issue 20)', () => {
  it('cites the SDK import and its configure() call under the controls of the features used, never as covering a scope', () => {
    const repo: RepoSignals = {
      ...noRepo,
      sdk: { files: ['app/audit.py', 'app/main.py'], configured: ['app/main.py'], features: ['audit-log', 'access-control'] },
    };
    const result = assess({ repo });
    const audit = result.get('CC7.2')!.evidence.find((e) => e.kind === 'ComplianceAgent SDK')!;
    expect(audit.summary).toBe('audit logging from the SDK, imported in 2 files; configured (`configure()`) in app/main.py');
    expect(audit.references.map((r) => r.path)).toEqual(['app/main.py', 'app/audit.py']);
    expect(result.get('CC6.3')!.evidence.map((e) => e.kind)).toContain('ComplianceAgent SDK');
    // Field encryption is not imported: nothing for C1.2. An import shows the mechanism, not where it applies.
    expect(result.get('C1.2')!.evidence.map((e) => e.kind)).not.toContain('ComplianceAgent SDK');
    expect(result.get('CC7.2')!.status).not.toBe('implemented');
  });

  it('says when the SDK is imported but never configured', () => {
    const repo: RepoSignals = { ...noRepo, sdk: { files: ['src/app.ts'], configured: [], features: ['encryption'] } };
    const item = assess({ repo })
      .get('C1.2')!
      .evidence.find((e) => e.kind === 'ComplianceAgent SDK')!;
    expect(item.summary).toBe('field encryption from the SDK, imported in 1 file; no `configure()` call found');
  });
});

describe('guard names for people', () => {
  it('names a call by its callee, not its arguments; keeps plain names; cuts long text', async () => {
    const { guardDisplayName } = await import('../../src/controls/control-evidence.js');
    expect(guardDisplayName('@ratelimit(method="POST", limit=10, interval=5)')).toBe('@ratelimit(…)');
    expect(guardDisplayName("passport.authenticate('jwt',\n  { session: false })")).toBe('passport.authenticate(…)');
    expect(guardDisplayName('@login_required')).toBe('@login_required');
    expect(guardDisplayName('requireAuth()')).toBe('requireAuth');
    expect(guardDisplayName('x'.repeat(50))).toBe(`${'x'.repeat(39)}…`);
  });
});
