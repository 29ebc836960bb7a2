import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CONFIG_FILE } from '../config/load.js';
import { UsageError } from '../errors.js';
import { findRepoRoot } from '../discovery/find-files.js';
import { scan } from '../engine/scan.js';
import type { ScanResult, Severity } from '../types.js';
import { RULES } from '../../rules/index.js';
import { assessControls, type ControlAssessment } from '../controls/control-evidence.js';
import { prepareScan, type CommonScanFlags, type PreparedScan } from './scan-options.js';
import type { Io } from './io.js';
import { readRepoSignals, type RepoSignals } from '../evidence/repo-signals.js';
import { sdkUsageOf } from '../model/repo-signals.js';
import { isCalendarDate } from '../evidence/change-log.js';
import type { ProjectModel } from '../model/project.js';

/** What `controls test`, `report generate` and `evidence export` share: one scan plus the control assessment. */
export interface CollectedEvidence {
  prepared: PreparedScan;
  result: ScanResult<ProjectModel>;
  repo: RepoSignals;
  /** Absolute repository root (the scanned folder when it is not in a git repository). */
  repoRoot: string;
  assessments: ControlAssessment[];
  /** Findings at or above this severity decide a control's status (`failOn` of the configuration, default medium). */
  threshold: Severity;
  /** Absolute path of the configuration file the scan used; undefined when there was none. */
  configPath?: string;
}

export const FRAMEWORKS = ['soc2'] as const;

export function checkFramework(framework: string): void {
  if (!(FRAMEWORKS as readonly string[]).includes(framework.toLowerCase())) {
    throw new UsageError(`unknown framework '${framework}'`, `supported: ${FRAMEWORKS.join(', ')}`);
  }
}

/** Scans like `scan` does (same configuration and flags) and assesses every control. */
export async function collectEvidence(io: Io, path: string, flags: CommonScanFlags): Promise<CollectedEvidence> {
  const { failOn: _statusFailOn, ...scanFlags } = flags;
  const prepared = await prepareScan(io, path, scanFlags);
  const result = await scan(prepared.root, prepared.options);
  const repoRoot = findRepoRoot(prepared.scanDir);
  const repo = await readRepoSignals(repoRoot, prepared.scanDir, existsSync(join(repoRoot, '.git')));
  const sdk = result.model ? sdkUsageOf(result.model.files) : undefined;
  if (sdk) repo.sdk = sdk;
  // Low findings (a password in a test fixture) are listed but do not decide a control's status unless the
  // configuration's failOn says so.
  const configured = prepared.config.failOn;
  const threshold: Severity = configured === undefined || configured === 'none' ? 'medium' : configured;
  const assessments = assessControls({
    findings: result.findings,
    availableRules: RULES.map((r) => r.id),
    rulesRun: result.rulesRun,
    ...(result.model ? { model: result.model } : {}),
    repo,
    threshold,
  });
  const configPath = configFilePath(io, prepared, flags);
  return { prepared, result, repo, repoRoot, assessments, threshold, ...(configPath ? { configPath } : {}) };
}

/**
 * Where the configuration the scan used lives: `-c FILE` against the working directory, else
 * `.complianceagent.yml` in the scanned folder or the repository root (where prepareScan looked), never a file
 * that merely sits in the working directory.
 */
export function configFilePath(io: Io, prepared: PreparedScan, flags: CommonScanFlags): string | undefined {
  const source = prepared.config.source;
  if (!source) return undefined;
  if (isAbsolute(source)) return source;
  if (flags.config) return resolve(io.cwd, flags.config);
  return [join(prepared.scanDir, CONFIG_FILE), join(findRepoRoot(prepared.scanDir), CONFIG_FILE)].find((f) => existsSync(f));
}

export interface ReportDate {
  /** ISO 8601 instant. */
  date: string;
  source: 'commit' | 'option' | 'SOURCE_DATE_EPOCH' | 'clock';
}

/**
 * The date a report or export is for: `--date`, else SOURCE_DATE_EPOCH (reproducible builds), else the commit
 * date, else the clock (only outside git, and the cover says so). The same commit gives the same date.
 */
export function resolveReportDate(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  commitDate: string | undefined,
  now: () => Date,
): ReportDate {
  if (option !== undefined) {
    if (!isCalendarDate(option)) throw new UsageError(`--date must be a calendar date YYYY-MM-DD (got '${option}')`);
    return { date: `${option}T00:00:00.000Z`, source: 'option' };
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds (got '${epoch}')`);
    return { date: new Date(Number(epoch) * 1000).toISOString(), source: 'SOURCE_DATE_EPOCH' };
  }
  if (commitDate) return { date: new Date(commitDate).toISOString(), source: 'commit' };
  return { date: now().toISOString(), source: 'clock' };
}

/** The project's name for covers and footers: the repository folder, plus the scanned subfolder. */
export function projectName(repoRoot: string, repoPrefix: string): string {
  const base = repoRoot.split(/[\\/]/).filter(Boolean).pop() ?? 'project';
  return repoPrefix ? `${base}/${repoPrefix}` : base;
}
