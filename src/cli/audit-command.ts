import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { escapeForTerminal } from '../report/terminal-text.js';
import { verifyAuditLog } from '../sdk/audit-chain.js';
import type { Io } from './io.js';

interface VerifyFlags {
  keyEnv?: string;
  expectHead?: string;
  json?: boolean;
}

/**
 * `complianceagent audit verify FILE`: checks the hash chain of an audit log written by the SDK (JS or Python).
 * Exit 0 when every line chains, 1 when a line was changed, removed, inserted or reordered, 2 on a usage error.
 */
export function registerAudit(program: Command, io: Io, setExitCode: (code: number) => void): void {
  const audit = program.command('audit').description('work with audit logs written by the complianceagent SDK');
  audit
    .command('verify')
    .description('verify the hash chain of an SDK audit log (JSON lines); exit 1 when it was tampered with')
    .argument('<file>', 'the audit log')
    .option('--key-env <VAR>', 'environment variable holding the chain key, when the log was written with chainKey')
    .option('--expect-head <hash>', 'the last hash recorded earlier: detects lines removed from the end')
    .option('--json', 'print the result as JSON')
    .action((file: string, flags: VerifyFlags) => {
      let text: string;
      try {
        text = readFileSync(resolve(io.cwd, file), 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read '${file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      let key: string | undefined;
      if (flags.keyEnv !== undefined) {
        key = io.env[flags.keyEnv];
        if (!key) throw new UsageError(`${flags.keyEnv} is not set`, 'export the chain key the log was written with');
      }
      if (flags.expectHead !== undefined && !/^[0-9a-fA-F]{64}$/.test(flags.expectHead)) throw new UsageError('--expect-head takes a 64-digit hex hash');
      const result = verifyAuditLog(text, { key, expectHead: flags.expectHead });
      if (flags.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.ok) io.stdout(`${escapeForTerminal(file)}: ${result.events} events, hash chain intact; head ${result.head}\n`);
      else {
        const lines = result.problems.map((p) => `  line ${p.line}: ${escapeForTerminal(p.reason)}\n`).join('');
        io.stdout(
          `${escapeForTerminal(file)}: hash chain broken (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${result.events} events)\n${lines}`,
        );
      }
      setExitCode(result.ok ? 0 : 1);
    });
}
