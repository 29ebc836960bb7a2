/**
 * `scan --history` (issue 15): secrets in the commits reachable from HEAD, added then removed ones too. Git history
 * is read as diffs (`git log -p --unified=0`), never as trees: each commit costs the lines it added, so a long history
 * of small commits reads in one pass. The added lines of each file in each commit are searched with the same
 * provider-pattern pass as every text file (provider formats, PEM private keys, connection-string passwords).
 * Findings carry the commit, its author date and the path, and are redacted like every other finding: the snippet
 * masks the value, and the fingerprint hashes no secret.
 */
import { createHash } from 'node:crypto';
import { LOCKFILE_NAMES } from '../discovery/languages.js';
import { DEFAULT_EXCLUDED_DIRS } from '../discovery/default-excludes.js';
import { SECRET_PATTERNS, findProviderSecrets, looksLikeTestPath, maskSecret } from '../model/secrets.js';
import { findTextSecrets } from '../model/secret-text.js';
import { runGit } from '../util/git.js';
import type { Finding, Severity } from '../types.js';

export interface HistoryOptions {
  /** A date git understands (`2024-01-01`, `6 months ago`) or a ref: only commits after it are read. */
  since?: string;
  /** Limit of one git call (default 10 minutes). */
  timeoutMs?: number;
}

export interface HistorySecret {
  commit: string;
  /** ISO 8601 author date. */
  authorDate: string;
  path: string;
  /** Line in the file as of that commit. */
  line: number;
  /** What the finding says: the provider's name, or `connection string`. */
  kind: string;
  patternId: string;
  severity: Severity;
  /** The added line with the secret masked. */
  snippet: string;
  /** sha256 of the secret, for de-duplication only (never the value). */
  secretHash: string;
}

/** A marker git never writes in a diff line on its own: each commit starts with it. */
const COMMIT_MARK = '\u0001commit ';
const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

function excludedPath(path: string): boolean {
  const parts = path.split('/');
  return parts.slice(0, -1).some((p) => DEFAULT_EXCLUDED_DIRS.has(p)) || LOCKFILE_NAMES.has(parts.at(-1) ?? '');
}

interface Block {
  commit: string;
  authorDate: string;
  path: string;
  lines: string[];
  lineNumbers: number[];
}

/** Reads `git log -p` output (format of HISTORY_ARGS) into secrets, oldest commit last as git prints them. */
export function parseHistory(log: string): HistorySecret[] {
  const out: HistorySecret[] = [];
  let commit = '';
  let authorDate = '';
  let block: Block | null = null;
  let next = 0;
  const flush = () => {
    if (block && block.lines.length > 0) out.push(...secretsOf(block));
    block = null;
  };
  let start = 0;
  while (start < log.length) {
    let end = log.indexOf('\n', start);
    if (end < 0) end = log.length;
    const line = log.slice(start, end);
    start = end + 1;
    if (line.startsWith(COMMIT_MARK)) {
      flush();
      [commit = '', authorDate = ''] = line.slice(COMMIT_MARK.length).split(' ');
    } else if (line.startsWith('diff --git ')) {
      flush();
    } else if (line.startsWith('+++ ')) {
      const path = line.slice(4).replace(/^b\//, '');
      block = path === '/dev/null' || excludedPath(path) ? null : { commit, authorDate, path, lines: [], lineNumbers: [] };
    } else if (line.startsWith('@@')) {
      next = Number(HUNK.exec(line)?.[1] ?? 0);
    } else if (block && line.startsWith('+')) {
      block.lines.push(line.slice(1));
      block.lineNumbers.push(next++);
    }
  }
  flush();
  return out;
}

/**
 * Where SOC2-002's scan of the tree ranks a connection string low (CI definitions, dev containers, test and
 * development env files) or does not report it (prose: `postgres://user:pass@localhost` in docs is an example). The
 * history pass keeps in step with it, so an old CI service password is not a critical finding.
 */
const CI_OR_DEV_FILE =
  /(?:^|\/)(?:\.github\/workflows\/|\.circleci\/|\.devcontainer\/|\.[\w-]*container\/)|(?:^|\/)(?:\.gitlab-ci|azure-pipelines|bitbucket-pipelines|\.travis)\.ya?ml$|(?:^|\/)\.env\.(?:test|testing|ci|e2e|dev|development|local)$/i;
const PROSE_FILE = /\.(?:md|mdx|markdown|rst|adoc)$/i;

/** `scheme://saleor:saleor@…`: a password equal to its user name is a local default. */
function passwordIsUserName(text: string): boolean {
  const m = /:\/\/([^:@/\s'"`]+):([^@/\s'"`]*)@/.exec(text);
  return m !== null && m[1] === m[2];
}

function secretsOf(block: Block): HistorySecret[] {
  const text = block.lines.join('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const l of block.lines) {
    starts.push(offset);
    offset += l.length + 1;
  }
  const lineIndex = (at: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const test = looksLikeTestPath(block.path);
  const ciOrDev = CI_OR_DEV_FILE.test(block.path);
  const prose = PROSE_FILE.test(block.path);
  const out: HistorySecret[] = [];
  for (const s of findTextSecrets(text)) {
    const secret = text.slice(s.start, s.end);
    const hit = findProviderSecrets(s.value)[0];
    const pattern = hit ? SECRET_PATTERNS.find((p) => p.id === hit.patternId) : undefined;
    const i = lineIndex(s.start);
    const lineText = block.lines[i]!;
    const col = s.start - starts[i]!;
    const masked = lineText.slice(0, col) + maskSecret(secret, pattern?.id) + lineText.slice(Math.min(lineText.length, col + secret.length));
    if (!pattern && prose) continue;
    const localDefault = !pattern && (test || ciOrDev || passwordIsUserName(block.lines[lineIndex(s.start)]!));
    const severity: Severity = pattern ? (test && pattern.id === 'jwt' ? 'low' : pattern.severity) : localDefault ? 'low' : 'critical';
    out.push({
      commit: block.commit,
      authorDate: block.authorDate,
      path: block.path,
      line: block.lineNumbers[i]!,
      kind: pattern?.title ?? 'connection string with an inline password',
      patternId: pattern?.id ?? 'connection-string',
      severity,
      snippet: masked.trim().slice(0, 300),
      secretHash: createHash('sha256').update(secret).digest('hex'),
    });
  }
  return out;
}

/**
 * Paths git need not diff: the binary formats that make up most of a repository's bytes, lockfiles (rewritten by
 * every dependency bump) and dependency/build folders, which the scan of the tree skips too. Excluded by git's
 * pathspec they cost nothing: git never reads their blobs (and a blob missing from a partial mirror is not needed).
 * Plain `*` patterns (they match across `/`), and few of them: every pattern is matched against every changed path,
 * so the full binary list (or `glob`/`icase` magic) doubled git's CPU time on a 20k-commit repository. What the
 * pathspec lets through is still filtered by excludedPath.
 */
const HISTORY_SKIPPED_EXTENSIONS =
  'png jpg jpeg gif ico webp bmp tif tiff psd woff woff2 ttf otf eot zip gz tgz jar whl pdf mp4 mp3 mov pyc class so dll exe wasm sqlite';
const HISTORY_SKIPPED_DIRS = ['node_modules', 'site-packages', 'dist', 'build', '.venv', 'venv'];
export const HISTORY_PATHSPEC: readonly string[] = [
  ':(top)',
  ...HISTORY_SKIPPED_EXTENSIONS.split(' ').map((ext) => `:(exclude)*.${ext}`),
  ...[...LOCKFILE_NAMES].map((name) => `:(exclude)*${name}`),
  ...HISTORY_SKIPPED_DIRS.flatMap((dir) => [`:(exclude)${dir}/*`, `:(exclude)*/${dir}/*`]),
];

/**
 * `git log` arguments: every commit reachable from HEAD, patches with no context, no renames, no deleted files (a
 * deletion adds no line), and not the paths of HISTORY_PATHSPEC.
 */
export function historyArgs(since?: string): string[] {
  const args = ['log', '-p', '--unified=0', '--no-renames', '--no-merges', '--diff-filter=d', `--format=${COMMIT_MARK.replace('\u0001', '%x01')}%H %aI`];
  if (since !== undefined) {
    // A date (2024-01-01, "6 months ago") filters by commit date; anything else is a ref: commits after it.
    if (/^\d{4}-\d{2}-\d{2}|\bago$/.test(since)) args.push(`--since=${since}`);
    else if (/^[\w./@^~-]+$/.test(since) && !since.startsWith('-')) args.push(`${since}..HEAD`);
    else throw new Error(`--since '${since}' is neither a date nor a git ref`);
  } else {
    args.push('HEAD');
  }
  return [...args, '--', ...HISTORY_PATHSPEC];
}

/** Largest `git log -p` output read (a JavaScript string holds at most about 512 MB): beyond it the call fails. */
const MAX_LOG_BYTES = 500 * 1024 * 1024;

/**
 * Whether the repository is a shallow clone (CI checkouts usually are: `actions/checkout` fetches one commit):
 * then `git log` reads only the commits present, and an empty result is no evidence of a clean history.
 */
export async function isShallowRepository(repoRoot: string): Promise<boolean> {
  try {
    return (await runGit(repoRoot, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  } catch {
    return false;
  }
}

/** git's message when an object the log needs is absent (a partial clone; lazy fetching is switched off). */
const MISSING_OBJECT = /unable to read ([0-9a-f]{40,64})|missing (?:blob|tree|commit) ([0-9a-f]{40,64})/;

/** A reading of why `git log -p` failed that a user can act on, or the error's own message. */
export function historyFailure(error: Error): string {
  const missing = MISSING_OBJECT.exec(error.message);
  if (missing)
    return `the git history is incomplete: object ${(missing[1] ?? missing[2] ?? '').slice(0, 12)} is not in the repository (a partial clone?), and complianceagent never fetches; fetch the full history (a full clone, or git fetch --refetch) and run again`;
  return error.message;
}

/** The secrets added in history, one per secret value and path (the commit that first added it), sorted by path, then date. */
export async function scanHistory(repoRoot: string, options: HistoryOptions = {}): Promise<HistorySecret[]> {
  const log = await runGit(repoRoot, historyArgs(options.since), { maxBuffer: MAX_LOG_BYTES, timeoutMs: options.timeoutMs ?? 600_000 });
  const byKey = new Map<string, HistorySecret>();
  // git log prints newest first: the last one seen for a key is the commit that introduced it.
  for (const s of parseHistory(log)) byKey.set(`${s.path}\0${s.secretHash}`, s);
  return [...byKey.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.authorDate < b.authorDate ? -1 : 1));
}

/** A history secret as a SOC2-002 finding: commit and author date in the message and properties, the value masked. */
export function historyFinding(s: HistorySecret): Finding {
  const short = s.commit.slice(0, 12);
  return {
    ruleId: 'SOC2-002',
    ruleName: 'hardcoded-secret',
    title: 'Hard-coded credential or secret',
    severity: s.severity,
    confidence: 'high',
    controls: ['CC6.1', 'CC6.6'],
    cwe: ['CWE-798'],
    message: `Hard-coded ${s.kind} added in commit ${short} (${s.authorDate.slice(0, 10)}); it stays in the git history. Rotate it.`,
    location: { path: s.path, startLine: s.line, startColumn: 1, endLine: s.line, endColumn: 1 },
    snippet: s.snippet,
    fingerprint: `ca1:${createHash('sha256').update(`SOC2-002\0history\0${s.path}\0${s.commit}\0${s.secretHash}`).digest('hex').slice(0, 32)}`,
    properties: { secretKind: s.patternId, history: true, commit: s.commit, authorDate: s.authorDate },
  };
}
