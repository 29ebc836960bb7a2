import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { RULES } from '../../rules/index.js';
import { loadConfig, UsageError, type FailOn } from '../config/load.js';
import { findRepoRoot } from '../discovery/find-files.js';
import { scan } from '../engine/scan.js';
import { readRuleDoc } from '../engine/rule-docs.js';
import { SEVERITIES, type ScanResult } from '../engine/types.js';
import { toJson } from '../report/json.js';
import { toSarif } from '../report/sarif.js';
import { toTerminal } from '../report/terminal.js';
import { failsAt } from '../report/summary.js';
import { useColor, type Io } from './io.js';

const FORMATS = ['terminal', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface ScanFlags {
  format: string;
  output?: string;
  jsonOutput?: string;
  sarifOutput?: string;
  sarifCategory?: string;
  sarifProfile: string;
  failOn?: string;
  include?: string[];
  exclude?: string[];
  maxFileSize?: string;
  config?: string;
  gitignore: boolean;
  groupBy: string;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function render(format: Format, result: ScanResult, color: boolean, flags: ScanFlags, rules: typeof RULES[number][]): string {
  if (format === 'json') return toJson(result, rules);
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
  program
    .command('scan')
    .description('scan a repository (or a folder or file in it) for SOC 2 code issues')
    .argument('[path]', 'what to scan', '.')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'terminal')
    .option('-o, --output <file>', 'write the --format output to a file instead of stdout')
    .option('--json-output <file>', 'also write the JSON report to this file')
    .option('--sarif-output <file>', 'also write SARIF 2.1.0 to this file (for GitHub code scanning)')
    .option('--sarif-category <id>', "SARIF automationDetails.id (default 'complianceagent/')")
    .option('--sarif-profile <profile>', "'full', or 'github' to leave out suppressed results GitHub would show as open", 'full')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above: ${[...SEVERITIES, 'none'].join(', ')} (default low)`)
    .option('--include <glob...>', 'only scan files matching these globs')
    .option('--exclude <glob...>', 'skip files matching these globs')
    .option('--max-file-size <bytes>', 'skip files larger than this (default 1000000)')
    .option('-c, --config <file>', 'configuration file (default: .complianceagent.yml in the scanned folder or the repository root)')
    .option('--no-gitignore', 'do not honour .gitignore files')
    .option('--group-by <key>', 'terminal output grouped by file or rule', 'file')
    .action(async (path: string, flags: ScanFlags) => {
      const root = resolve(io.cwd, path);
      try {
        await stat(root);
      } catch {
        throw new UsageError(`path not found: ${path}`, 'pass a folder or file that exists');
      }
      const format = oneOf(flags.format, FORMATS, '--format');
      const scanDir = (await stat(root)).isDirectory() ? root : dirname(root);
      let config = await loadConfig(scanDir, flags.config ? resolve(io.cwd, flags.config) : undefined);
      if (!config.source && !flags.config) {
        const repoRoot = findRepoRoot(scanDir);
        if (repoRoot !== scanDir) config = await loadConfig(repoRoot);
      }
      const failOn: FailOn = flags.failOn ? oneOf(flags.failOn, [...SEVERITIES, 'none'] as const, '--fail-on') : (config.failOn ?? 'low');
      let maxFileBytes = config.maxFileSize;
      if (flags.maxFileSize !== undefined) {
        maxFileBytes = Number(flags.maxFileSize);
        if (!Number.isInteger(maxFileBytes) || maxFileBytes <= 0) throw new UsageError(`--max-file-size must be a positive whole number of bytes (got '${flags.maxFileSize}')`);
      }
      const rules = RULES.filter((r) => !config.disabledRules.includes(r.id));
      const include = flags.include ?? config.include;
      const exclude = [...(config.exclude ?? []), ...(flags.exclude ?? [])];
      const result = await scan(root, {
        rules,
        settings: config.settings,
        ...(include ? { include } : {}),
        exclude,
        ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
        respectGitignore: flags.gitignore && config.respectGitignore !== false,
      });

      const text = render(format, result, flags.output ? false : useColor(io), flags, rules);
      if (flags.output) await writeOut(io, flags.output, text);
      else io.stdout(text);
      if (flags.jsonOutput) await writeOut(io, flags.jsonOutput, render('json', result, false, flags, rules));
      if (flags.sarifOutput) await writeOut(io, flags.sarifOutput, render('sarif', result, false, flags, rules));
      if (flags.output && format !== 'terminal') io.stderr(`${result.findings.length} findings written to ${flags.output}\n`);
      setExit(failsAt(result, failOn) ? 1 : 0);
    });
}
