import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { RULES } from '../../rules/index.js';
import { UsageError } from '../errors.js';
import { type ChangeLog, type Period, parsePeriod, withSecurityRelevance } from '../evidence/change-log.js';
import { securityClassifier } from '../evidence/security-files.js';
import { readChangeLog } from '../evidence/read-change-log.js';
import { assessControls } from '../controls/control-evidence.js';
import { type CollectedEvidence, checkFramework, collectEvidence, projectName, resolveReportDate } from './collect.js';
import { buildEvidenceFiles, checkTarget, MANIFEST, writeEvidence } from '../evidence/export.js';
import { type GitInfo, readGitInfo } from '../evidence/git.js';
import { buildReportModel } from '../report/report-model.js';
import { toPdf } from '../report/pdf.js';
import type { Io } from './io.js';
import { addCommonScanOptions, type CommonScanFlags } from './scan-options.js';

interface EvidenceFlags extends CommonScanFlags {
  framework: string;
  period: string;
  output: string;
  zip?: boolean;
  date?: string;
  pullRequests?: string;
}

/** `--pull-requests FILE`: the export of the hosting service's merged pull requests (its review evidence). */
export const PULL_REQUESTS_OPTION = [
  '--pull-requests <file>',
  'review evidence from the hosting service: the JSON of `gh pr list --state merged --limit 1000 --json number,mergedAt,reviewDecision,reviews,mergeCommit`',
] as const;

/** The file given with --pull-requests, resolved, with the name the outputs record (its file name alone). */
export function pullRequestsFile(cwd: string, option: string | undefined): { path: string; name: string } | undefined {
  return option === undefined ? undefined : { path: resolve(cwd, option), name: basename(option) };
}

/**
 * The period's change review joins the repository signals and CC8.1 is assessed again with it (the scan's
 * assessment ran before the change log was read). Mutates and returns `collected`.
 */
export function withChangeReview(collected: CollectedEvidence, changeLog: ChangeLog): CollectedEvidence {
  collected.repo.changeReview = changeLog.summary.changeReview;
  collected.assessments = assessControls({
    findings: collected.result.findings,
    availableRules: RULES.map((r) => r.id),
    rulesRun: collected.result.rulesRun,
    ...(collected.result.model ? { model: collected.result.model } : {}),
    repo: collected.repo,
    threshold: collected.threshold,
  });
  return collected;
}

/**
 * `controls test` and `report generate` with `--period`: the period's change log is read from git and its review
 * figures join the collected evidence (CC8.1). Without a period nothing is read.
 */
export async function addPeriodChangeReview(
  io: Io,
  collected: CollectedEvidence,
  period: Period | undefined,
  pullRequests: string | undefined,
  git: GitInfo | undefined,
): Promise<void> {
  if (!period) return;
  if (!git?.commit) throw new UsageError('--period reads the change log from git: the scanned folder is not in a git repository with commits');
  withChangeReview(
    collected,
    await readChangeLog(git.topLevel, period, { commit: git.commit, ...(git.branch ? { branch: git.branch } : {}) }, pullRequestsFile(io.cwd, pullRequests)),
  );
}

export function registerEvidence(program: Command, io: Io): void {
  const evidence = program.command('evidence').description('audit evidence');
  const exportCommand = evidence
    .command('export')
    .description('write the audit evidence folder: scan results, control matrix, endpoints, exceptions, change log, configuration, MANIFEST.sha256')
    .argument('[path]', 'what to scan (inside a git repository)', '.')
    .option('--framework <name>', 'control framework', 'soc2')
    .requiredOption('--period <start:end>', 'the audit period, e.g. 2024-01-01:2024-12-31 (whole days, UTC)')
    .option('-o, --output <dir>', 'the folder to write', 'soc2-evidence')
    .option('--zip', 'also write <dir>.zip')
    .option('--date <YYYY-MM-DD>', 'the date the evidence is for (default: SOURCE_DATE_EPOCH, else the commit date)')
    .option(...PULL_REQUESTS_OPTION);
  addCommonScanOptions(exportCommand).action(async (path: string, flags: EvidenceFlags) => {
    checkFramework(flags.framework);
    const period = parsePeriod(flags.period);
    const scanPath = resolve(io.cwd, path);
    const dir = resolve(io.cwd, flags.output);
    await checkTarget(dir);
    const isFile = await stat(scanPath).then(
      (s) => !s.isDirectory(),
      () => false,
    );
    const git = await readGitInfo(isFile ? dirname(scanPath) : scanPath).catch(() => undefined);
    if (!git)
      throw new UsageError(
        `not a git repository: ${path}`,
        'evidence export reads the change log from git; run it inside a git work tree (or `git init` and commit first)',
      );
    if (!git.commit) throw new UsageError(`the git repository at ${git.topLevel} has no commits yet`, 'commit first: the evidence describes a commit');

    const rawLog = await readChangeLog(
      git.topLevel,
      period,
      { commit: git.commit, ...(git.branch ? { branch: git.branch } : {}) },
      pullRequestsFile(io.cwd, flags.pullRequests),
    );
    const collected = withChangeReview(await collectEvidence(io, path, flags), rawLog);
    // Security-relevant changes from the scan's facts (guards, security libraries, flagged settings), not path words.
    const changeLog = withSecurityRelevance(rawLog, securityClassifier(collected.result.model, collected.result.findings));
    const date = resolveReportDate(flags.date, io.env, git.commitDate, () => new Date());
    const project = projectName(collected.repoRoot, collected.result.repoPrefix);
    const model = buildReportModel({
      source: {
        project,
        scanned: collected.result.repoPrefix || '.',
        commit: git.commit,
        dirty: git.dirty,
        ...(git.branch ? { branch: git.branch } : {}),
        date: date.date,
        dateSource: date.source,
      },
      result: collected.result,
      assessments: collected.assessments,
      rules: RULES,
      threshold: collected.threshold,
      repo: collected.repo,
    });
    const config = collected.prepared.config;
    const configFile = collected.configPath
      ? { name: configFileName(collected.repoRoot, collected.configPath), text: await readFile(collected.configPath, 'utf8') }
      : undefined;
    const files = buildEvidenceFiles({
      result: collected.result,
      rules: RULES.filter((r) => collected.result.rulesRun.includes(r.id)),
      assessments: collected.assessments,
      changeLog,
      config,
      ...(configFile ? { configFile } : {}),
      threshold: collected.threshold,
      project,
      ...(git.branch ? { branch: git.branch } : {}),
      date: date.date,
      pdf: await toPdf(model),
    });
    await writeEvidence(dir, files, { date: new Date(date.date), ...(flags.zip ? { zipPath: `${dir.replace(/[\\/]+$/, '')}.zip` } : {}) });
    const dirty = git.dirty ? ' (warning: the work tree has uncommitted changes; the evidence describes them, not the commit alone)' : '';
    io.stderr(
      `Evidence for ${git.commit.slice(0, 12)}, ${period.start} to ${period.end}: ${files.length + 1} files written to ${flags.output}${flags.zip ? ` and ${flags.output.replace(/[\\/]+$/, '')}.zip` : ''}${dirty}\nVerify with: (cd ${shellWord(flags.output)} && sha256sum -c ${MANIFEST})\n`,
    );
  });
}

/** A path as one shell word for `cd`: as it is when plainly safe, else in single quotes (`./` before a leading `-`). */
function shellWord(path: string): string {
  const p = path.startsWith('-') ? `./${path}` : path;
  return /^[\w./@%+=:,-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/** The configuration file's name as the export records it: repo-relative, or only its file name when it lies outside. */
function configFileName(repoRoot: string, path: string): string {
  const rel = relative(repoRoot, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? basename(path) : rel.split('\\').join('/');
}
