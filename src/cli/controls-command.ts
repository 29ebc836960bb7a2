import type { Command } from 'commander';
import { FAIL_ON_STATUSES, controlsFail } from '../controls/control-evidence.js';
import { DISCLAIMER, assessmentToJson, controlsVerdict, statusCounts, toControlsTable } from '../controls/control-matrix.js';
import { checkFramework } from './collect.js';
import type { Io } from './io.js';
import { UsageError } from '../errors.js';
import { parsePeriod } from '../evidence/change-log.js';
import { AT_OPTION, type AtFlags, HISTORY_OPTION, PULL_REQUESTS_OPTION, SINCE_OPTION, addPeriodChangeReview, collectAt } from './evidence-command.js';
import { addCommonScanOptions, oneOf } from './scan-options.js';

interface ControlsFlags extends AtFlags {
  framework: string;
  format: string;
  period?: string;
  pullRequests?: string;
}

export function registerControls(program: Command, io: Io, setExit: (code: number) => void): void {
  const controls = program.command('controls').description('SOC 2 control evidence and status');
  const test = controls
    .command('test')
    .description('assess every control: positive evidence, open findings, status; exit 1 when a control is a Gap')
    .argument('[path]', 'what to scan', '.')
    .option('--framework <name>', 'control framework', 'soc2')
    .option('-f, --format <format>', 'table or json', 'table')
    .option('--period <start:end>', 'the audit period, e.g. 2024-01-01:2024-12-31: classify its changes for CC8.1 (needs git)')
    .option(...PULL_REQUESTS_OPTION)
    .option(...AT_OPTION)
    .option(...HISTORY_OPTION)
    .option(...SINCE_OPTION)
    .option('--fail-on <status>', `exit 1 when a control is at this status or worse: ${FAIL_ON_STATUSES.join(', ')} (gap < partial < not-assessed)`, 'gap');
  addCommonScanOptions(test).action(async (path: string, flags: ControlsFlags) => {
    checkFramework(flags.framework);
    const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
    const failOn = oneOf(flags.failOn ?? 'gap', FAIL_ON_STATUSES, '--fail-on');
    const period = flags.period === undefined ? undefined : parsePeriod(flags.period);
    if (!period && flags.pullRequests !== undefined) throw new UsageError("--pull-requests needs --period (the review evidence is of the period's changes)");
    const collected = await collectAt(io, path, flags, period);
    await addPeriodChangeReview(io, collected, period, flags.pullRequests, collected.git);
    const { assessments, threshold, result } = collected;
    if (format === 'json') {
      const report = {
        tool: result.tool,
        framework: 'soc2',
        scanned: result.repoPrefix || '.',
        ...(collected.commit ? { commit: collected.commit } : {}),
        ...(collected.scannedAt ? { scannedAt: collected.scannedAt } : {}),
        ...(period ? { period } : {}),
        secretsHistory: collected.history ?? { examined: false },
        severityThreshold: threshold,
        summary: { ...statusCounts(assessments), verdict: controlsVerdict(assessments) },
        disclaimer: DISCLAIMER,
        controls: assessments.map(assessmentToJson),
      };
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout(toControlsTable(assessments));
    }
    setExit(controlsFail(assessments, failOn) ? 1 : 0);
  });
}
