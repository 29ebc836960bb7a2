import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { RULES } from '../../rules/index.js';
import { UsageError } from '../errors.js';
import { buildChangeLog, parsePeriod, periodInstants } from '../evidence/change-log.js';
import { checkFramework, collectEvidence, projectName, resolveReportDate } from './collect.js';
import { buildEvidenceFiles, checkTarget, MANIFEST, writeEvidence } from '../evidence/export.js';
import { readGitInfo, readGitLog } from '../evidence/git.js';
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
    .option('--date <YYYY-MM-DD>', 'the date the evidence is for (default: SOURCE_DATE_EPOCH, else the commit date)');
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

    const collected = await collectEvidence(io, path, flags);
    const { since, until } = periodInstants(period);
    const changeLog = buildChangeLog(period, git.commit, await readGitLog(git.topLevel, since, until));
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
