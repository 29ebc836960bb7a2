import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkFramework, resolveReportDate } from './collect.js';
import { parsePeriod } from '../evidence/change-log.js';
import { UsageError } from '../errors.js';
import {
  AT_OPTION,
  type AtFlags,
  HISTORY_OPTION,
  PULL_REQUESTS_OPTION,
  SINCE_OPTION,
  addPeriodChangeReview,
  collectAt,
  reportInput,
} from './evidence-command.js';
import { buildReportModel } from '../report/report-model.js';
import { escapeForTerminal } from '../report/terminal-text.js';
import type { Io } from './io.js';
import { addCommonScanOptions } from './scan-options.js';

/** PDF rendering (pdfkit and its fonts) loads only when a PDF is written: it is a quarter of the CLI's start-up otherwise. */
const loadPdf = () => import('../report/pdf.js');

interface ReportFlags extends AtFlags {
  framework: string;
  output: string;
  date?: string;
  period?: string;
  pullRequests?: string;
}

export function registerReport(program: Command, io: Io): void {
  const report = program.command('report').description('audit reports');
  const generate = report
    .command('generate')
    .description('write the SOC 2 evidence report as a PDF')
    .argument('[path]', 'what to scan', '.')
    .option('--framework <name>', 'control framework', 'soc2')
    .option('-o, --output <file>', 'the PDF to write', 'soc2-report.pdf')
    .option('--date <YYYY-MM-DD>', 'the report date (default: SOURCE_DATE_EPOCH, else the commit date)')
    .option('--period <start:end>', 'the audit period, e.g. 2024-01-01:2024-12-31: classify its changes for CC8.1 (needs git)')
    .option(...PULL_REQUESTS_OPTION)
    .option(...AT_OPTION)
    .option(...HISTORY_OPTION)
    .option(...SINCE_OPTION);
  addCommonScanOptions(generate).action(async (path: string, flags: ReportFlags) => {
    checkFramework(flags.framework);
    const period = flags.period === undefined ? undefined : parsePeriod(flags.period);
    if (!period && flags.pullRequests !== undefined) throw new UsageError("--pull-requests needs --period (the review evidence is of the period's changes)");
    const collected = await collectAt(io, path, flags, period);
    await addPeriodChangeReview(io, collected, period, flags.pullRequests, collected.git);
    const date = resolveReportDate(flags.date, io.env, collected.commitDate, () => new Date());
    const model = buildReportModel(reportInput(collected, date));
    const pdf = await (await loadPdf()).toPdf(model);
    const file = resolve(io.cwd, flags.output);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, pdf);
    io.stderr(
      `SOC 2 evidence report written to ${escapeForTerminal(flags.output)} (${model.controls.length} controls, ${model.summary.total} open findings)\n`,
    );
  });
}
