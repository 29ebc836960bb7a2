import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Rule } from '../model/rule.js';
import { scan } from '../engine/scan.js';
import { readRuleDoc } from '../util/rule-docs.js';
import { SEVERITIES, type ScanResult, type Severity } from '../types.js';
import { toJson } from '../report/json.js';
import { toSarif } from '../report/sarif.js';
import { withSdkHelp } from '../report/sarif-rules.js';
import { toTerminal } from '../report/terminal.js';
import { toJunit } from '../report/junit.js';
import { toGitlabSast } from '../report/gitlab.js';
import { applyBaseline, formatBaseline, readBaseline } from '../engine/baseline.js';
import { createProgress } from '../engine/progress.js';
import { historyFailure, historyFinding, isShallowRepository, scanHistory } from '../engine/history.js';
import { findRepoRoot } from '../discovery/find-files.js';
import { compareFindings } from '../util/compare.js';
import { existsSync } from 'node:fs';
import type { FailOn } from '../config/load.js';
import { UsageError } from '../errors.js';
import { failsAt, type FailPolicy } from '../report/summary.js';
import { escapeForTerminal } from '../report/terminal-text.js';
import { useColor, type Io } from './io.js';
import { DEFAULT_FAIL_ON, addCommonScanOptions, oneOf, prepareScan, type CommonScanFlags } from './scan-options.js';

const FORMATS = ['terminal', 'json', 'sarif', 'junit', 'gitlab'] as const;
type Format = (typeof FORMATS)[number];

interface ScanFlags extends CommonScanFlags {
  format: string;
  output?: string;
  jsonOutput?: string;
  sarifOutput?: string;
  sarifCategory?: string;
  sarifProfile: string;
  groupBy: string;
  junitOutput?: string;
  gitlabOutput?: string;
  baseline?: string;
  baselineWrite?: string;
  changedSince?: string;
  minSeverity?: string;
  compact?: boolean;
  verbose?: boolean;
  history?: boolean;
  since?: string;
  /** true / false with --fail-on-test-findings / --no-fail-on-test-findings; undefined: the configuration decides. */
  failOnTestFindings?: boolean;
}

interface Clock {
  startTime: Date;
  endTime: Date;
}

/** What only the terminal format uses: display filters and the exit-code policy it explains. */
interface TerminalView {
  minSeverity?: Severity;
  compact: boolean;
  verbose: boolean;
  failOn: FailOn;
  failPolicy: FailPolicy;
}

function render(format: Format, result: ScanResult, color: boolean, flags: ScanFlags, rules: Rule[], clock: Clock, view: TerminalView): string {
  if (format === 'json') return toJson(result, rules);
  if (format === 'junit') return toJunit(result, rules);
  if (format === 'gitlab') return toGitlabSast(result, { rules, ...clock });
  if (format === 'sarif') {
    const log = toSarif(result, {
      rules,
      ruleHelp: withSdkHelp(readRuleDoc),
      profile: oneOf(flags.sarifProfile, ['full', 'github'] as const, '--sarif-profile'),
      ...(flags.sarifCategory ? { category: flags.sarifCategory } : {}),
    });
    return `${JSON.stringify(log, null, 2)}\n`;
  }
  return toTerminal(result, {
    color,
    groupBy: oneOf(flags.groupBy, ['file', 'rule'] as const, '--group-by'),
    compact: view.compact,
    verbose: view.verbose,
    failOn: view.failOn,
    failPolicy: view.failPolicy,
    ...(view.minSeverity ? { minSeverity: view.minSeverity } : {}),
  });
}

async function writeOut(io: Io, path: string, text: string): Promise<void> {
  const file = resolve(io.cwd, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

export function registerScan(program: Command, io: Io, setExit: (code: number) => void): void {
  const command = program
    .command('scan')
    .description('scan a repository (or a folder or file in it) for SOC 2 code issues')
    .argument('[path]', 'what to scan', '.')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'terminal')
    .option('-o, --output <file>', 'write the --format output to a file instead of stdout')
    .option('--json-output <file>', 'also write the JSON report to this file')
    .option('--sarif-output <file>', 'also write SARIF 2.1.0 to this file (for GitHub code scanning)')
    .option('--sarif-category <id>', "SARIF automationDetails.id (default 'complianceagent/')")
    .option('--sarif-profile <profile>', "'full', or 'github' to leave out suppressed results GitHub would show as open", 'full')
    .option('--junit-output <file>', 'also write JUnit XML to this file')
    .option('--gitlab-output <file>', 'also write a GitLab SAST report to this file')
    .option('--baseline <file>', 'report (and fail on) only findings that are not in this baseline')
    .option('--baseline-write <file>', 'write the current findings as a baseline to this file')
    .option('--changed-since <ref>', 'report only findings on lines changed since this git ref (merge base with HEAD)')
    .option(
      '--fail-on <severity>',
      `exit 1 when a finding outside test and example files is at or above: ${[...SEVERITIES, 'none'].join(', ')} (default ${DEFAULT_FAIL_ON})`,
    )
    .option('--fail-on-test-findings', 'findings in test and example files count toward --fail-on too')
    .option('--no-fail-on-test-findings', 'findings in test and example files never fail the build (the default, unless the configuration says otherwise)')
    .option(
      '--min-severity <severity>',
      `list only findings at or above this severity in the terminal output: ${SEVERITIES.join(', ')} (JSON, SARIF, JUnit and GitLab keep every finding)`,
    )
    .option('--compact', 'terminal output with one line per finding: path:line:col: severity rule-id message')
    .option('--group-by <key>', 'terminal output grouped by file or rule', 'file')
    .option('--history', 'also search every commit reachable from HEAD for secrets (git log diffs; added then removed ones too)')
    .option('--since <date-or-ref>', 'with --history: only commits after this date (2024-01-01, "6 months ago") or git ref')
    .option('--verbose', 'terminal output lists every low hard-coded-secret finding of test and example files (default: one line per file)');
  addCommonScanOptions(command).action(async (path: string, flags: ScanFlags) => {
    const format = oneOf(flags.format, FORMATS, '--format');
    const minSeverity = flags.minSeverity !== undefined ? oneOf(flags.minSeverity, SEVERITIES, '--min-severity') : undefined;
    if (flags.compact && format !== 'terminal') {
      throw new UsageError(
        `--compact is a form of the terminal output, not of --format ${format}`,
        'drop --compact, or write the other format with --json-output, --sarif-output …',
      );
    }
    const { rules, failOn, options, config } = await prepareScan(io, path, flags);
    const failPolicy: FailPolicy = { includeTestFindings: flags.failOnTestFindings ?? config.failOnTestFindings ?? false };
    const view: TerminalView = {
      compact: flags.compact === true,
      verbose: flags.verbose === true,
      failOn,
      failPolicy,
      ...(minSeverity ? { minSeverity } : {}),
    };
    if (minSeverity && format !== 'terminal') {
      io.stderr(`note: --min-severity filters the terminal output only; the ${format} report keeps every finding\n`);
    }
    if (flags.baselineWrite && flags.changedSince) {
      throw new UsageError('--baseline-write and --changed-since do not go together: a baseline records every finding', 'write the baseline from a full scan');
    }
    const baseline = flags.baseline ? await readBaseline(resolve(io.cwd, flags.baseline), flags.baseline) : undefined;
    if (flags.since !== undefined && !flags.history) throw new UsageError('--since goes with --history', 'add --history, or drop --since');
    // The history pass is a git child process: it runs alongside the tree scan instead of after it (on saleor's 22k
    // commits git log -p alone is about 30 s of CPU, as much as the tree scan or more).
    const history = flags.history ? startHistory(resolve(io.cwd, path), flags.since) : undefined;
    const progress = createProgress({ write: (t) => io.stderr(t), stderrIsTTY: io.stderrIsTTY ?? false, env: io.env });
    const startTime = new Date();
    let result: ScanResult;
    try {
      result = await scan(resolve(io.cwd, path), {
        ...options,
        ...(flags.changedSince ? { changedSince: flags.changedSince } : {}),
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.done();
    }
    if (history) {
      const { repoRoot, secrets: pending } = history;
      const outcome = await pending;
      if ('error' in outcome) throw new UsageError(`--history: ${historyFailure(outcome.error)}`, 'check --since, or that git can read the repository');
      const { secrets } = outcome;
      if (await isShallowRepository(repoRoot))
        io.stderr(
          'history: this is a shallow clone: only the commits it holds were read, so the history is not fully examined (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)\n',
        );
      result = { ...result, findings: [...result.findings, ...secrets.map(historyFinding)].sort(compareFindings) };
      io.stderr(
        `history: ${secrets.length} secret${secrets.length === 1 ? '' : 's'} added in commits reachable from HEAD${flags.since ? ` since ${escapeForTerminal(flags.since)}` : ''}\n`,
      );
    }
    const clock: Clock = { startTime, endTime: new Date() };
    if (flags.baselineWrite) {
      await writeOut(io, flags.baselineWrite, formatBaseline(result.findings));
      io.stderr(`baseline with ${result.findings.filter((f) => !f.suppression).length} findings written to ${escapeForTerminal(flags.baselineWrite)}\n`);
    }
    if (baseline) {
      const outcome = applyBaseline(result.findings, baseline);
      result = { ...result, findings: outcome.findings, baseline: { matched: outcome.matched, stale: outcome.stale } };
      io.stderr(
        `baseline ${escapeForTerminal(flags.baseline ?? '')}: ${outcome.matched} known findings not reported${outcome.stale ? `, ${outcome.stale} entries no longer found (rewrite it with --baseline-write)` : ''}\n`,
      );
    }
    if (result.changedSince) {
      io.stderr(
        `changed since ${escapeForTerminal(result.changedSince.ref)} (${result.changedSince.base.slice(0, 12)}): ${result.changedSince.findingsOutside} findings on unchanged lines not reported\n`,
      );
    }

    const text = render(format, result, flags.output ? false : useColor(io), flags, rules, clock, view);
    if (flags.output) await writeOut(io, flags.output, text);
    else io.stdout(text);
    if (flags.jsonOutput) await writeOut(io, flags.jsonOutput, render('json', result, false, flags, rules, clock, view));
    if (flags.sarifOutput) await writeOut(io, flags.sarifOutput, render('sarif', result, false, flags, rules, clock, view));
    if (flags.junitOutput) await writeOut(io, flags.junitOutput, render('junit', result, false, flags, rules, clock, view));
    if (flags.gitlabOutput) await writeOut(io, flags.gitlabOutput, render('gitlab', result, false, flags, rules, clock, view));
    if (flags.output && format !== 'terminal') io.stderr(`${result.findings.length} findings written to ${escapeForTerminal(flags.output)}\n`);
    setExit(failsAt(result, failOn, failPolicy) ? 1 : 0);
  });
}

/**
 * Starts the history pass (checked first: a folder outside a git checkout is a usage error before any scanning). Its
 * failure is kept, not thrown, until the tree scan is done, so that it is reported as before.
 */
function startHistory(
  target: string,
  since: string | undefined,
): { repoRoot: string; secrets: Promise<{ secrets: Awaited<ReturnType<typeof scanHistory>> } | { error: Error }> } {
  const repoRoot = findRepoRoot(target);
  if (!existsSync(resolve(repoRoot, '.git'))) throw new UsageError('--history needs a git repository', 'scan a folder inside a git checkout');
  const secrets = scanHistory(repoRoot, since !== undefined ? { since } : {}).then(
    (found) => ({ secrets: found }),
    (error: unknown) => ({ error: error as Error }),
  );
  return { repoRoot, secrets };
}
