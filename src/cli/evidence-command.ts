import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { multiLineStatements } from '../evidence/statements.js';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { RULES } from '../../rules/index.js';
import { UsageError } from '../errors.js';
import { type ChangeLog, type Period, parsePeriod, withSecurityRelevance } from '../evidence/change-log.js';
import { securityClassifier } from '../evidence/security-files.js';
import { readChangeLog } from '../evidence/read-change-log.js';
import { assessControls } from '../controls/control-evidence.js';
import { type CollectedEvidence, checkFramework, collectEvidence, projectName, type ReportDate, resolveReportDate } from './collect.js';
import { buildEvidenceFiles, checkTarget, MANIFEST, writeEvidence } from '../evidence/export.js';
import { type GitInfo, readGitInfo } from '../evidence/git.js';
import { commitDate, extractCommitTree, lastCommitOfPeriod, resolveCommit } from '../evidence/commit-tree.js';
import { historyFailure, historyFinding, isShallowRepository, scanHistory } from '../engine/history.js';
import { type SecretsHistory, summariseHistory } from '../controls/secrets-history.js';
import { compareFindings } from '../util/compare.js';
import { agentInventory, inventorySummary } from './agents-command.js';
import { buildReportModel, type AiInventory, type ReportInput, type ScannedAt } from '../report/report-model.js';
import type { Io } from './io.js';
import { addCommonScanOptions, type CommonScanFlags } from './scan-options.js';

/** PDF rendering (pdfkit and its fonts) loads only when a PDF is written: it is a quarter of the CLI's start-up otherwise. */
const loadPdf = () => import('../report/pdf.js');

/** Flags of the three commands that assess controls, beyond the scan's own. */
export interface AtFlags extends CommonScanFlags {
  at?: string;
  history?: boolean;
  since?: string;
}

interface EvidenceFlags extends AtFlags {
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

/** `--at REF`: the commit to scan (a past one is read from git, never checked out). */
export const AT_OPTION = [
  '--at <ref>',
  "the commit to scan (default: the period's last commit on the branch when --period is given, else the work tree); a past commit's files are read from git into a temporary folder, never checked out, and removed afterwards",
] as const;
export const HISTORY_OPTION = ['--history', 'also search every commit reachable from HEAD for secrets (CC6.1/CC6.6: secrets in git history)'] as const;
export const SINCE_OPTION = ['--since <date-or-ref>', 'with --history: only commits after this date or git ref'] as const;

/** What the three commands scanned, with the facts gathered beside the scan. */
export interface CollectedAt extends CollectedEvidence {
  /** Git facts of the repository (HEAD); undefined outside git. */
  git?: GitInfo;
  /** The commit scanned when it was chosen by --at or the period (undefined: the work tree, as without them). */
  scannedAt?: ScannedAt;
  /** The commit described and its date: the scanned commit, else HEAD. */
  commit?: string;
  commitDate?: string;
  /** Uncommitted changes were scanned (only when the work tree was). */
  dirty: boolean;
  /** The project's name (the repository folder), never the temporary folder's. */
  project: string;
  /** The configuration file used, read before a temporary tree is removed. */
  configFile?: { name: string; text: string };
  history?: SecretsHistory;
  ai: AiInventory;
  /** Whole statements of the multi-line findings, read (redacted) before a temporary tree is removed. */
  statements: Record<string, string>;
}

function assessAgain(collected: CollectedEvidence, history: SecretsHistory | undefined): void {
  collected.assessments = assessControls({
    findings: collected.result.findings,
    availableRules: RULES.map((r) => r.id),
    rulesRun: collected.result.rulesRun,
    ...(collected.result.model ? { model: collected.result.model } : {}),
    repo: collected.repo,
    threshold: collected.threshold,
    ...(history ? { history } : {}),
  });
}

/**
 * Scans what the evidence is of: with --at or a period, the chosen commit (HEAD in place; a past commit's tree
 * extracted by src/evidence/commit-tree.ts into a temporary folder, scanned, removed); else the path as given.
 * With --history, the secrets of git history join the findings and CC6.1/CC6.6 say what history shows.
 */
export async function collectAt(io: Io, path: string, flags: AtFlags, period: Period | undefined): Promise<CollectedAt> {
  const scanPath = resolve(io.cwd, path);
  const isFile = await stat(scanPath).then(
    (s) => !s.isDirectory(),
    () => false,
  );
  const git = await readGitInfo(isFile ? dirname(scanPath) : scanPath).catch(() => undefined);
  if (flags.at !== undefined && !git?.commit) throw new UsageError('--at names a commit: the scanned folder is not in a git repository with commits');
  if (flags.since !== undefined && !flags.history) throw new UsageError('--since goes with --history', 'add --history, or drop --since');
  if (flags.history && !git?.commit) throw new UsageError('--history needs a git repository with commits');
  let scannedAt: ScannedAt | undefined;
  if (git?.commit && (flags.at !== undefined || period)) {
    let commit: string | undefined;
    try {
      commit = flags.at !== undefined ? await resolveCommit(git.topLevel, flags.at) : await lastCommitOfPeriod(git.topLevel, period!, git.commit);
    } catch (error) {
      throw new UsageError(`--at: ${(error as Error).message}`, 'name a commit, tag or branch of this repository');
    }
    if (!commit)
      throw new UsageError(`no commit on ${git.branch ?? 'HEAD'} on or before ${period!.end}: there is nothing to scan for this period`, 'check --period');
    scannedAt = {
      commit,
      from: commit === git.commit ? 'work-tree' : 'commit',
      chosenBy: flags.at !== undefined ? 'at' : 'period',
      ...(flags.at !== undefined ? { ref: flags.at } : {}),
    };
  }
  let collected: CollectedEvidence;
  let configFile: CollectedAt['configFile'];
  let statements: Record<string, string>;
  if (scannedAt?.from === 'commit' && git) {
    const tree = await extractCommitTree(git.topLevel, scannedAt.commit);
    const { symlinks, submodules, unsafePaths, missing } = tree.skipped;
    if (symlinks + submodules + unsafePaths + missing > 0)
      io.stderr(
        `commit ${scannedAt.commit.slice(0, 12)}: ${tree.files} files read from git; not scanned: ${symlinks} symbolic links, ${submodules} submodules, ${unsafePaths} unsafe paths, ${missing} files missing from this clone\n`,
      );
    try {
      const target = join(tree.dir, relative(git.topLevel, scanPath));
      if (!existsSync(target)) throw new UsageError(`${relative(git.topLevel, scanPath) || '.'} does not exist at commit ${scannedAt.commit.slice(0, 12)}`);
      // Every file of a commit is tracked: .gitignore does not hide one (as git's index does not for a work tree).
      collected = await collectEvidence(io, target, { ...flags, gitignore: false });
      configFile = await readConfigFile(collected);
      statements = statementsOf(collected);
    } finally {
      await tree.remove();
    }
  } else {
    collected = await collectEvidence(io, path, flags);
    configFile = await readConfigFile(collected);
    statements = statementsOf(collected);
  }
  const commit = scannedAt?.commit ?? git?.commit;
  const date = scannedAt?.from === 'commit' && git ? await commitDate(git.topLevel, scannedAt.commit) : git?.commitDate;
  let history: SecretsHistory | undefined;
  if (flags.history && git?.commit) {
    let secrets: Awaited<ReturnType<typeof scanHistory>>;
    try {
      secrets = await scanHistory(git.topLevel, flags.since !== undefined ? { since: flags.since } : {});
    } catch (error) {
      throw new UsageError(`--history: ${historyFailure(error as Error)}`, 'check --since, or that git can read the repository');
    }
    history = summariseHistory(git.commit, secrets, flags.since, await isShallowRepository(git.topLevel));
    collected.result = { ...collected.result, findings: [...collected.result.findings, ...secrets.map(historyFinding)].sort(compareFindings) };
  }
  assessAgain(collected, history);
  return {
    ...collected,
    ...(git ? { git } : {}),
    ...(scannedAt ? { scannedAt } : {}),
    ...(commit ? { commit } : {}),
    ...(date ? { commitDate: date } : {}),
    dirty: scannedAt?.from === 'commit' ? false : (git?.dirty ?? false),
    project: projectName(git?.topLevel ?? collected.repoRoot, collected.result.repoPrefix),
    ...(configFile ? { configFile } : {}),
    ...(history ? { history } : {}),
    ai: aiOf(collected),
    statements,
  };
}

/** Multi-line statements of the open findings, from the scanned files (src/evidence/statements.ts redacts them). */
function statementsOf(collected: CollectedEvidence): Record<string, string> {
  return multiLineStatements(
    collected.result.findings.filter((f) => !f.suppression),
    (path) => {
      const file = resolve(collected.repoRoot, ...path.split('/'));
      if (relative(collected.repoRoot, file).startsWith('..')) return undefined;
      try {
        if (!lstatSync(file).isFile()) return undefined; // never through a symbolic link
        return readFileSync(file, 'utf8').split(/\r?\n/);
      } catch {
        return undefined;
      }
    },
  );
}

function aiOf(collected: CollectedEvidence): AiInventory {
  const inventory = agentInventory(collected.result.model?.files ?? []);
  return { ...inventory, summary: inventorySummary(inventory) };
}

async function readConfigFile(collected: CollectedEvidence): Promise<{ name: string; text: string } | undefined> {
  return collected.configPath
    ? { name: configFileName(collected.repoRoot, collected.configPath), text: await readFile(collected.configPath, 'utf8') }
    : undefined;
}

/** The report model's input from what collectAt gathered: the scanned commit, its date, history and AI section. */
export function reportInput(collected: CollectedAt, date: ReportDate): ReportInput {
  const git = collected.git;
  return {
    source: {
      project: collected.project,
      scanned: collected.result.repoPrefix || '.',
      ...(collected.commit ? { commit: collected.commit, dirty: collected.dirty } : {}),
      ...(git?.branch ? { branch: git.branch } : {}),
      date: date.date,
      dateSource: date.source,
      ...(collected.scannedAt ? { scannedAt: collected.scannedAt } : {}),
    },
    result: collected.result,
    assessments: collected.assessments,
    rules: RULES,
    threshold: collected.threshold,
    repo: collected.repo,
    ...(collected.history ? { history: collected.history } : {}),
    ai: collected.ai,
    statements: collected.statements,
  };
}

/** The file given with --pull-requests, resolved, with the name the outputs record (its file name alone). */
export function pullRequestsFile(cwd: string, option: string | undefined): { path: string; name: string } | undefined {
  return option === undefined ? undefined : { path: resolve(cwd, option), name: basename(option) };
}

/**
 * The period's change review joins the repository signals and CC8.1 is assessed again with it (the scan's
 * assessment ran before the change log was read). Mutates and returns `collected`.
 */
export function withChangeReview<C extends CollectedEvidence & { history?: SecretsHistory }>(collected: C, changeLog: ChangeLog): C {
  collected.repo.changeReview = changeLog.summary.changeReview;
  assessAgain(collected, collected.history);
  return collected;
}

/**
 * `controls test` and `report generate` with `--period`: the period's change log is read from git and its review
 * figures join the collected evidence (CC8.1). Without a period nothing is read.
 */
export async function addPeriodChangeReview(
  io: Io,
  collected: CollectedEvidence & { history?: SecretsHistory },
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
    .option(...PULL_REQUESTS_OPTION)
    .option(...AT_OPTION)
    .option(...HISTORY_OPTION)
    .option(...SINCE_OPTION);
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
    const collected = withChangeReview(await collectAt(io, path, flags, period), rawLog);
    // Security-relevant changes from the scan's facts (guards, security libraries, flagged settings), not path words.
    const changeLog = withSecurityRelevance(rawLog, securityClassifier(collected.result.model, collected.result.findings));
    const date = resolveReportDate(flags.date, io.env, collected.commitDate, () => new Date());
    const model = buildReportModel(reportInput(collected, date));
    const files = buildEvidenceFiles({
      result: collected.result,
      rules: RULES.filter((r) => collected.result.rulesRun.includes(r.id)),
      assessments: collected.assessments,
      changeLog,
      config: collected.prepared.config,
      ...(collected.configFile ? { configFile: collected.configFile } : {}),
      threshold: collected.threshold,
      project: collected.project,
      ...(git.branch ? { branch: git.branch } : {}),
      date: date.date,
      scanned: { commit: collected.commit ?? git.commit, ...(collected.scannedAt ? { at: collected.scannedAt } : {}), dirty: collected.dirty },
      ...(collected.history ? { history: collected.history } : {}),
      ai: collected.ai,
      pdf: await (await loadPdf()).toPdf(model),
    });
    await writeEvidence(dir, files, { date: new Date(date.date), ...(flags.zip ? { zipPath: `${dir.replace(/[\\/]+$/, '')}.zip` } : {}) });
    const dirty = collected.dirty ? ' (warning: the work tree has uncommitted changes; the evidence describes them, not the commit alone)' : '';
    io.stderr(
      `Evidence for ${(collected.commit ?? git.commit).slice(0, 12)}${collected.scannedAt?.from === 'commit' ? ' (its files read from git)' : ''}, ${period.start} to ${period.end}: ${files.length + 1} files written to ${flags.output}${flags.zip ? ` and ${flags.output.replace(/[\\/]+$/, '')}.zip` : ''}${dirty}\nVerify with: (cd ${shellWord(flags.output)} && sha256sum -c ${MANIFEST})\n`,
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
