import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import { loadConfig, type Config, type FailOn } from '../config/load.js';
import { UsageError } from '../errors.js';
import { findRepoRoot } from '../discovery/find-files.js';
import { defaultCacheDir } from '../engine/cache.js';
import { IGNORE_FILE, readIgnoreFile } from '../engine/ignore-file.js';
import type { Rule } from '../model/rule.js';
import type { ScanOptions } from '../engine/scan.js';
import { SEVERITIES } from '../types.js';
import type { Io } from './io.js';

/** Flags every command that scans accepts (scan, controls test, report generate, evidence export). */
export interface CommonScanFlags {
  include?: string[];
  exclude?: string[];
  maxFileSize?: string;
  config?: string;
  gitignore?: boolean;
  failOn?: string;
  jobs?: string;
  /** false with --no-cache. */
  cache?: boolean;
  cacheDir?: string;
  /** false with --no-inline-suppressions. */
  inlineSuppressions?: boolean;
}

/**
 * `high`, like most scanners' CI presets: a first run on a real repository should fail on what needs fixing now
 * (hard-coded secrets, missing authentication, injection), not on every low-confidence or low-severity note.
 */
export const DEFAULT_FAIL_ON: FailOn = 'high';

export interface PreparedScan {
  /** Absolute path of what is scanned. */
  root: string;
  /** The folder the scan starts in (root itself, or its folder for a single file). */
  scanDir: string;
  config: Config;
  rules: Rule[];
  failOn: FailOn;
  options: ScanOptions;
  /** The ignore file read (absolute), '' when there is none. */
  ignoreFile: string;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

/** Resolves the path, reads `.complianceagent.yml` (scanned folder, then repository root) and merges flags over it. */
export async function prepareScan(io: Io, path: string, flags: CommonScanFlags): Promise<PreparedScan> {
  const root = resolve(io.cwd, path);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch {
    throw new UsageError(`path not found: ${path}`, 'pass a folder or file that exists');
  }
  const scanDir = isDirectory ? root : dirname(root);
  let config = await loadConfig(scanDir, flags.config ? resolve(io.cwd, flags.config) : undefined);
  if (!config.source && !flags.config) {
    const repoRoot = findRepoRoot(scanDir);
    if (repoRoot !== scanDir) config = await loadConfig(repoRoot);
  }
  const failOn: FailOn = flags.failOn ? oneOf(flags.failOn, [...SEVERITIES, 'none'] as const, '--fail-on') : (config.failOn ?? DEFAULT_FAIL_ON);
  let maxFileBytes = config.maxFileSize;
  if (flags.maxFileSize !== undefined) {
    maxFileBytes = Number(flags.maxFileSize);
    if (!Number.isInteger(maxFileBytes) || maxFileBytes <= 0)
      throw new UsageError(`--max-file-size must be a positive whole number of bytes (got '${flags.maxFileSize}')`);
  }
  const rules: Rule[] = RULES.filter((r) => !config.disabledRules.includes(r.id));
  const include = flags.include ?? config.include;
  const exclude = [...(config.exclude ?? []), ...(flags.exclude ?? [])];
  let jobs: number | undefined;
  if (flags.jobs !== undefined) {
    jobs = Number(flags.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a whole number of at least 1 (got '${flags.jobs}')`);
  }
  const ignoreFile = [join(scanDir, IGNORE_FILE), join(findRepoRoot(scanDir), IGNORE_FILE)].find((f) => existsSync(f)) ?? '';
  const ignoreEntries = ignoreFile ? await readIgnoreFile(ignoreFile, relative(io.cwd, ignoreFile) || IGNORE_FILE) : [];
  // SOC2-002 switched off still names the secrets to mask in every output (its findings are dropped).
  const secretRules = RULES.filter((r) => r.id === 'SOC2-002' && !rules.includes(r));
  const options: ScanOptions = {
    rules,
    ...(secretRules.length > 0 ? { secretRules } : {}),
    ignoreEntries,
    inlineSuppressions: flags.inlineSuppressions !== false,
    ...(jobs !== undefined ? { jobs } : {}),
    ...(flags.cache !== false ? { cacheDir: flags.cacheDir ? resolve(io.cwd, flags.cacheDir) : defaultCacheDir(io.env) } : {}),
    settings: config.settings,
    ...(include ? { include } : {}),
    exclude,
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    respectGitignore: flags.gitignore !== false && config.respectGitignore !== false,
  };
  return { root, scanDir, config, rules, failOn, options, ignoreFile };
}

/** Registers the options of CommonScanFlags on a command. */
export function addCommonScanOptions<C extends { option(flags: string, description: string): C }>(command: C): C {
  return command
    .option('--include <glob...>', 'only scan files matching these globs')
    .option('--exclude <glob...>', 'skip files matching these globs')
    .option('--max-file-size <bytes>', 'skip files larger than this (default 1000000)')
    .option('-c, --config <file>', 'configuration file (default: .complianceagent.yml in the scanned folder or the repository root)')
    .option('--no-gitignore', 'do not honour .gitignore files')
    .option('--no-inline-suppressions', 'refuse complianceagent-ignore comments (the ignore file still applies)')
    .option(
      '--jobs <n>',
      'worker threads for parsing (default: one per core for 200+ files, else 1; every file is extracted in a worker so its time budget holds)',
    )
    .option('--no-cache', 'do not read or write the facts cache')
    .option('--cache-dir <dir>', 'facts cache folder (default $XDG_CACHE_HOME/complianceagent or ~/.cache/complianceagent)');
}
