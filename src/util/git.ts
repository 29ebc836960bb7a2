import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The one way this project runs git. A scanned repository is untrusted: its `.git/config`, `.gitattributes` and
 * hooks can name commands that git would run on our behalf (fsmonitor, clean filters, textconv, external diff,
 * pager, hooks, …). Every call here is `execFile('git', args)` (never a shell) with
 *
 * - an environment without the caller's `GIT_*` variables (a `GIT_DIR` or `GIT_INDEX_FILE` left by a hook
 *   would point git at another repository), plus the fixed variables of GIT_ENV below;
 * - `-c` overrides (GIT_CONFIG_OVERRIDES) that switch off every configurable command the allowed subcommands can
 *   reach; command-line configuration wins over every configuration file;
 * - `-c filter.<driver>.clean= …` for every filter driver the repository's configuration defines (their names
 *   are read first with `git config --list`, which runs nothing), since only an empty value switches one off;
 * - per-subcommand flags (SUBCOMMAND_FLAGS: `--no-ext-diff`, `--no-textconv`, `--ignore-submodules=all`);
 * - only the read-only subcommands in SUBCOMMAND_FLAGS: anything else is refused, so a new kind of git call
 *   has to be added here and to docs/security.md, with its threat reviewed.
 *
 * docs/security.md lists each override and why.
 */

export class GitError extends Error {
  constructor(
    message: string,
    /** 'ENOENT' when git is not installed, 'TIMEOUT' when it ran too long, else undefined. */
    readonly code?: 'ENOENT' | 'TIMEOUT',
  ) {
    super(message);
  }
}

/** `-c` overrides given to every git call: [key, value, why]. */
export const GIT_CONFIG_OVERRIDES: ReadonlyArray<readonly [string, string, string]> = [
  ['core.fsmonitor', 'false', 'a repository-set fsmonitor is a command run by every call that reads the index (status, diff, ls-files)'],
  ['core.hooksPath', '/dev/null', 'no hook runs (post-index-change runs when a call refreshes the index)'],
  ['core.pager', 'cat', 'no pager command (also --no-pager and GIT_PAGER=cat)'],
  ['diff.external', '', 'no external diff command (also --no-ext-diff)'],
  ['log.showSignature', 'false', 'log does not verify signatures, which would run gpg.program / gpg.ssh.program'],
  ['core.askPass', '', 'no password prompt program'],
  ['credential.helper', '', 'clears the list of credential helpers (commands)'],
  ['protocol.allow', 'never', 'no transport at all: no network, no ssh (core.sshCommand), no lazy fetch of a partial clone'],
  ['safe.bareRepository', 'explicit', 'a bare repository planted inside the scanned tree is never picked up by discovery'],
  ['submodule.recurse', 'false', 'never descend into submodules, whose own configuration we have not neutralised'],
  ['status.submoduleSummary', 'false', 'status does not run git inside submodules'],
  ['diff.submodule', 'short', 'diff does not run git inside submodules'],
  ['core.untrackedCache', 'false', 'untracked files are listed from the file system, not from a cache the repository wrote'],
  [
    'mailmap.file',
    '',
    'the mailmap (`%aN`/`%aE` of log) is read only from `.mailmap` at the top of the work tree, which git opens without following a symbolic link, never from a file the configuration names elsewhere on disk',
  ],
  ['mailmap.blob', '', 'nor from a blob the configuration names'],
  ['core.quotePath', 'false', 'output: file names as they are (UTF-8), not C-quoted'],
  ['color.ui', 'never', 'output: no colour codes'],
];

/** Environment variables set on every call (after removing every inherited GIT_* variable). */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_ATTR_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_NO_LAZY_FETCH: '1',
  GIT_NO_REPLACE_OBJECTS: '1',
  GIT_PROTOCOL_FROM_USER: '0',
  LC_ALL: 'C',
};

/** Inherited GIT_* variables that are kept: where the user's own (trusted) global configuration lives. */
const KEPT_GIT_VARIABLES = new Set(['GIT_CONFIG_GLOBAL']);

/** The subcommands this project runs, and the flags each always gets right after its name. */
export const SUBCOMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = {
  'rev-parse': [],
  'merge-base': [],
  'ls-files': [],
  config: [],
  status: ['--ignore-submodules=all'],
  diff: ['--no-ext-diff', '--no-textconv', '--no-color', '--ignore-submodules=all'],
  log: ['--no-ext-diff', '--no-textconv', '--no-color', '--no-show-signature'],
  // A past commit's tree for `evidence export --at`: object ids and raw blob bytes, never a checkout (no
  // work tree written by git, so no smudge filter, hook or attribute runs; --batch without --filters/--textconv).
  'ls-tree': [],
  'cat-file': [],
};

/** Default time limit of one git call. */
export const GIT_TIMEOUT_MS = 120_000;

/** The environment git runs with: the caller's, minus GIT_* variables, plus GIT_ENV. */
export function gitEnvironment(base: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (/^GIT_/i.test(key) && !KEPT_GIT_VARIABLES.has(key)) continue;
    env[key] = value;
  }
  return { ...env, ...GIT_ENV };
}

function configArgs(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  return pairs.flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

export interface GitRunOptions {
  maxBuffer?: number;
  timeoutMs?: number;
}

function execGit(cwd: string, args: readonly string[], options: GitRunOptions): Promise<string>;
function execGit(cwd: string, args: readonly string[], options: GitRunOptions, input: string): Promise<Buffer>;
function execGit(cwd: string, args: readonly string[], options: GitRunOptions, input?: string): Promise<string | Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['--no-pager', ...configArgs(GIT_CONFIG_OVERRIDES.map(([k, v]) => [k, v] as const)), ...args],
      {
        cwd,
        env: gitEnvironment(),
        maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024,
        timeout: options.timeoutMs ?? GIT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        encoding: input === undefined ? 'utf8' : 'buffer',
        windowsHide: true,
      },
      (error, stdout: string | Buffer, stderr: string | Buffer) => {
        if (!error) return resolve(stdout);
        const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        if (e.code === 'ENOENT') return reject(existsSync(cwd) ? new GitError('git was not found on PATH', 'ENOENT') : new GitError(`no such folder: ${cwd}`));
        if (e.killed && e.signal === 'SIGKILL')
          return reject(
            new GitError(
              `git ${args.find((a) => !a.startsWith('-')) ?? ''} did not finish within ${Math.round((options.timeoutMs ?? GIT_TIMEOUT_MS) / 1000)} s`,
              'TIMEOUT',
            ),
          );
        reject(new GitError((String(stderr) || e.message).trim().split('\n')[0] || 'git failed'));
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * `filter.<driver>.*` overrides that switch off every filter driver the configuration seen from `cwd` defines
 * (a driver named in `.gitattributes` runs its clean command when status or diff reads a work-tree file).
 * A driver name that a `-c key=value` argument cannot carry is refused.
 */
export function filterOverrides(configNames: readonly string[]): Array<readonly [string, string]> {
  const drivers = new Set<string>();
  for (const name of configNames) {
    const m = /^filter\.(.+)\.([^.]+)$/s.exec(name);
    if (m) drivers.add(m[1]!);
  }
  const pairs: Array<readonly [string, string]> = [];
  for (const driver of [...drivers].sort()) {
    if (/[=\n\0]/.test(driver))
      throw new GitError('the repository configuration defines a filter driver whose name cannot be switched off safely; git is not run');
    for (const key of ['clean', 'smudge', 'process']) pairs.push([`filter.${driver}.${key}`, '']);
    pairs.push([`filter.${driver}.required`, 'false']);
  }
  return pairs;
}

/** Runs git in one directory: reads the configuration's filter drivers once, then runs subcommands safely. */
export class Git {
  private filters?: Promise<Array<readonly [string, string]>>;

  constructor(
    readonly cwd: string,
    private readonly options: GitRunOptions = {},
  ) {}

  private filterArgs(): Promise<Array<readonly [string, string]>> {
    this.filters ??= execGit(this.cwd, ['config', '--list', '--name-only', '-z'], this.options).then(
      (out) => filterOverrides(out.split('\0').filter(Boolean)),
      (error: unknown) => {
        // Outside a repository `git config --list` still lists the user's configuration; a failure here is
        // a broken configuration, which the subcommand itself will report.
        if (error instanceof GitError && error.code !== undefined) throw error;
        return [];
      },
    );
    return this.filters;
  }

  /** stdout of `git <subcommand> <args>`; rejects with GitError (first line of stderr) on failure. */
  async run(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    const [subcommand, ...rest] = args;
    const flags = subcommand === undefined ? undefined : SUBCOMMAND_FLAGS[subcommand];
    if (flags === undefined) throw new GitError(`git ${subcommand ?? ''} is not one of the subcommands this tool may run`);
    const filters = await this.filterArgs();
    return execGit(this.cwd, [...configArgs(filters), subcommand!, ...flags, ...rest], { ...this.options, ...options });
  }

  /** stdout as bytes of `git <subcommand> <args>` with `input` on stdin (`cat-file --batch`); same checks as run. */
  async runBytes(args: readonly string[], input: string, options: GitRunOptions = {}): Promise<Buffer> {
    const [subcommand, ...rest] = args;
    const flags = subcommand === undefined ? undefined : SUBCOMMAND_FLAGS[subcommand];
    if (flags === undefined) throw new GitError(`git ${subcommand ?? ''} is not one of the subcommands this tool may run`);
    const filters = await this.filterArgs();
    return execGit(this.cwd, [...configArgs(filters), subcommand!, ...flags, ...rest], { ...this.options, ...options }, input);
  }
}

/** One git call in `cwd` (see Git for several calls in the same directory). */
export function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  return new Git(cwd, options).run(args);
}
