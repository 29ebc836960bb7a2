import type { Command } from 'commander';
import { FAIL_ON_STATUSES, controlsFail } from '../controls/control-evidence.js';
import { DISCLAIMER, assessmentToJson, controlsVerdict, statusCounts, toControlsTable } from '../controls/control-matrix.js';
import { checkFramework, collectEvidence } from './collect.js';
import type { Io } from './io.js';
import { addCommonScanOptions, oneOf, type CommonScanFlags } from './scan-options.js';

interface ControlsFlags extends CommonScanFlags {
  framework: string;
  format: string;
}

export function registerControls(program: Command, io: Io, setExit: (code: number) => void): void {
  const controls = program.command('controls').description('SOC 2 control evidence and status');
  const test = controls
    .command('test')
    .description('assess every control: positive evidence, open findings, status; exit 1 when a control is a Gap')
    .argument('[path]', 'what to scan', '.')
    .option('--framework <name>', 'control framework', 'soc2')
    .option('-f, --format <format>', 'table or json', 'table')
    .option('--fail-on <status>', `exit 1 when a control is at this status or worse: ${FAIL_ON_STATUSES.join(', ')} (gap < partial < not-assessed)`, 'gap');
  addCommonScanOptions(test).action(async (path: string, flags: ControlsFlags) => {
    checkFramework(flags.framework);
    const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
    const failOn = oneOf(flags.failOn ?? 'gap', FAIL_ON_STATUSES, '--fail-on');
    const { assessments, threshold, result } = await collectEvidence(io, path, flags);
    if (format === 'json') {
      const report = {
        tool: result.tool,
        framework: 'soc2',
        scanned: result.repoPrefix || '.',
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
