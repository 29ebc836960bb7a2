import { resolve, join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { findRepoRoot } from '../discovery/find-files.js';
import { IGNORE_FILE, addIgnoreEntry, isFingerprint, isIsoDate } from '../engine/ignore-file.js';
import type { IgnoreEntry } from '../engine/suppressions.js';
import { escapeForTerminal } from '../report/terminal-text.js';
import type { Io } from './io.js';

interface IgnoreAddFlags {
  reason?: string;
  author?: string;
  expires?: string;
  rule?: string;
  path?: string;
  file?: string;
}

/** `complianceagent ignore add <fingerprint> --reason … --author … [--expires YYYY-MM-DD]`: a documented exception. */
export function registerIgnore(program: Command, io: Io): void {
  const ignore = program.command('ignore').description('manage documented exceptions in .complianceagent-ignore.yml');
  ignore
    .command('add')
    .description('accept a finding by its fingerprint, with a reason, an author and an optional expiry date')
    .argument('<fingerprint>', "the finding's fingerprint (ca1:…), from the JSON or SARIF report")
    .option('--reason <text>', 'why the finding is accepted (required)')
    .option('--author <name>', 'who accepts it (required)')
    .option('--expires <YYYY-MM-DD>', 'after this day the finding is reported again')
    .option('--rule <id>', 'the rule id, recorded for readers of the file')
    .option('--path <path>', "the finding's path, recorded for readers of the file")
    .option('--file <file>', `the ignore file (default: ${IGNORE_FILE} at the repository root)`)
    .action(async (fingerprint: string, flags: IgnoreAddFlags) => {
      if (!isFingerprint(fingerprint))
        throw new UsageError(`'${fingerprint}' is not a finding fingerprint`, 'copy the fingerprint (ca1: and 32 hex digits) from the JSON or SARIF report');
      const reason = flags.reason?.trim();
      if (!reason) throw new UsageError('--reason is required', 'say why the finding is accepted, e.g. --reason "rate limited at the API gateway"');
      const author = flags.author?.trim();
      if (!author) throw new UsageError('--author is required', 'say who accepts the finding, e.g. --author "Jane Doe <jane@example.com>"');
      const entry: IgnoreEntry = { fingerprint, reason, author };
      if (flags.expires !== undefined) {
        if (!isIsoDate(flags.expires)) throw new UsageError(`--expires must be a date YYYY-MM-DD (got '${flags.expires}')`);
        entry.expires = flags.expires;
      }
      if (flags.rule) entry.rule = flags.rule;
      if (flags.path) entry.path = flags.path;
      const file = flags.file ? resolve(io.cwd, flags.file) : join(findRepoRoot(io.cwd), IGNORE_FILE);
      const outcome = await addIgnoreEntry(file, entry);
      io.stdout(`${outcome === 'added' ? 'added' : 'updated'} ${fingerprint} in ${escapeForTerminal(file)}\n`);
    });
}
