import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { TOOL_VERSION } from '../util/version.js';
import { escapeForTerminal } from '../report/terminal-text.js';
import type { Io } from './io.js';
import { registerRules } from './rules-command.js';
import { registerScan } from './scan-command.js';
import { registerIgnore } from './ignore-command.js';
import { registerControls } from './controls-command.js';
import { registerReport } from './report-command.js';
import { registerEvidence } from './evidence-command.js';
import { registerEndpoints } from './endpoints-command.js';
import { registerAudit } from './audit-command.js';
import { registerAgents } from './agents-command.js';

/**
 * Runs the CLI and returns the exit code (0 clean, 1 findings at or above --fail-on, 2 usage, configuration or
 * internal error). Never calls process.exit: main.ts sets process.exitCode.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command('complianceagent')
    .description('Scan code for SOC 2 issues and turn the result into audit evidence.')
    .version(TOOL_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');
  registerScan(program, io, (code) => (exitCode = code));
  registerRules(program, io);
  registerIgnore(program, io);
  registerControls(program, io, (code) => (exitCode = code));
  registerReport(program, io);
  registerEvidence(program, io);
  registerEndpoints(program, io);
  registerAudit(program, io, (code) => (exitCode = code));
  registerAgents(program, io);
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0; every other commander error is a usage error.
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    // Messages can name files of the scanned repository: escaped, so a file name cannot drive the terminal.
    if (error instanceof UsageError) {
      const details = error.details.map((d) => `  ${escapeForTerminal(d)}\n`).join('');
      io.stderr(`complianceagent: ${escapeForTerminal(error.headline)}\n${details}${error.hint ? `hint: ${escapeForTerminal(error.hint)}\n` : ''}`);
      return 2;
    }
    const e = error as Error;
    const stack = (e.stack ?? '')
      .split('\n')
      .slice(1, 4)
      .map((line) => escapeForTerminal(line))
      .join('\n');
    io.stderr(`complianceagent: internal error: ${escapeForTerminal(String(e.message))}\n${stack}\nPlease report this with the command you ran.\n`);
    return 2;
  }
}
