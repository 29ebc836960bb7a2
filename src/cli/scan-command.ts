import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Rule } from '../engine/rule.js';
import { scan } from '../engine/scan.js';
import { readRuleDoc } from '../engine/rule-docs.js';
import { SEVERITIES, type ScanResult } from '../engine/types.js';
import { toJson } from '../report/json.js';
import { toSarif } from '../report/sarif.js';
import { toTerminal } from '../report/terminal.js';
import { toJunit } from '../report/junit.js';
import { toGitlabSast } from '../report/gitlab.js';
import { applyBaseline, formatBaseline, readBaseline } from '../engine/baseline.js';
import { createProgress } from '../engine/progress.js';
import { UsageError } from '../config/load.js';
import { failsAt } from '../report/summary.js';
import { useColor, type Io } from './io.js';
import { addCommonScanOptions, oneOf, prepareScan, type CommonScanFlags } from './scan-options.js';

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
}

interface Clock {
  startTime: Date;
  endTime: Date;
}


function render(format: Format, result: ScanResult, color: boolean, flags: ScanFlags, rules: Rule[], clock: Clock): string {
  if (format === 'json') return toJson(result, rules);
  if (format === 'junit') return toJunit(result, rules);
  if (format === 'gitlab') return toGitlabSast(result, { rules, ...clock });
  if (format === 'sarif') {
    const log = toSarif(result, {
      rules,
      ruleHelp: readRuleDoc,
      profile: oneOf(flags.sarifProfile, ['full', 'github'] as const, '--sarif-profile'),
      ...(flags.sarifCategory ? { category: flags.sarifCategory } : {}),
    });
    return JSON.stringify(log, null, 2) + '\n';
  }
  return toTerminal(result, { color, groupBy: oneOf(flags.groupBy, ['file', 'rule'] as const, '--group-by') });
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
    .option('--fail-on <severity>', `exit 1 when a finding is at or above: ${[...SEVERITIES, 'none'].join(', ')} (default low)`)
    .option('--group-by <key>', 'terminal output grouped by file or rule', 'file');
  addCommonScanOptions(command).action(async (path: string, flags: ScanFlags) => {
    const format = oneOf(flags.format, FORMATS, '--format');
    const { rules, failOn, options } = await prepareScan(io, path, flags);
    if (flags.baselineWrite && flags.changedSince) {
      throw new UsageError('--baseline-write and --changed-since do not go together: a baseline records every finding', 'write the baseline from a full scan');
    }
    const baseline = flags.baseline ? await readBaseline(resolve(io.cwd, flags.baseline), flags.baseline) : undefined;
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
    const clock: Clock = { startTime, endTime: new Date() };
    if (flags.baselineWrite) {
      await writeOut(io, flags.baselineWrite, formatBaseline(result.findings));
      io.stderr(`baseline with ${result.findings.filter((f) => !f.suppression).length} findings written to ${flags.baselineWrite}\n`);
    }
    if (baseline) {
      const outcome = applyBaseline(result.findings, baseline);
      result = { ...result, findings: outcome.findings, baseline: { matched: outcome.matched, stale: outcome.stale } };
      io.stderr(`baseline ${flags.baseline}: ${outcome.matched} known findings not reported${outcome.stale ? `, ${outcome.stale} entries no longer found (rewrite it with --baseline-write)` : ''}\n`);
    }
    if (result.changedSince) {
      io.stderr(`changed since ${result.changedSince.ref} (${result.changedSince.base.slice(0, 12)}): ${result.changedSince.findingsOutside} findings on unchanged lines not reported\n`);
    }

    const text = render(format, result, flags.output ? false : useColor(io), flags, rules, clock);
    if (flags.output) await writeOut(io, flags.output, text);
    else io.stdout(text);
    if (flags.jsonOutput) await writeOut(io, flags.jsonOutput, render('json', result, false, flags, rules, clock));
    if (flags.sarifOutput) await writeOut(io, flags.sarifOutput, render('sarif', result, false, flags, rules, clock));
    if (flags.junitOutput) await writeOut(io, flags.junitOutput, render('junit', result, false, flags, rules, clock));
    if (flags.gitlabOutput) await writeOut(io, flags.gitlabOutput, render('gitlab', result, false, flags, rules, clock));
    if (flags.output && format !== 'terminal') io.stderr(`${result.findings.length} findings written to ${flags.output}\n`);
    setExit(failsAt(result, failOn) ? 1 : 0);
  });
}
