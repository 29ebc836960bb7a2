import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { buildChangeLog, type ChangeLog, type Period, periodInstants } from './change-log.js';
import { codeownersPresence, type OwnersEvent, type PullRequestRecord, parsePullRequestExport } from './change-management.js';
import { countMergedCommits, isShallowRepository, logSeparators, readGitLog } from './git.js';
import { Git } from '../util/git.js';

const CODEOWNERS_PATHS = ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];

/** Additions, changes and deletions of CODEOWNERS files on the branch (first-parent history up to `rev`). */
export async function readCodeownersEvents(topLevel: string, rev: string): Promise<OwnersEvent[]> {
  const sep = logSeparators();
  const out = await new Git(topLevel).run([
    'log',
    '--first-parent',
    '--diff-merges=first-parent',
    '--no-renames',
    `--format=${sep.record}%cI`,
    '--name-status',
    rev,
    '--',
    ...CODEOWNERS_PATHS,
  ]);
  const events: OwnersEvent[] = [];
  for (const record of out.split(sep.record)) {
    const [date = '', ...lines] = record.split('\n');
    for (const line of lines) {
      const m = /^([AMD])\t(.+)$/.exec(line);
      if (m && CODEOWNERS_PATHS.includes(m[2]!)) events.push({ date: date.trim(), status: m[1] as OwnersEvent['status'], path: m[2]! });
    }
  }
  return events;
}

/**
 * The change log of a period at the edge: git (through the safe runner) and the optional pull-request export
 * read here, everything after that pure (buildChangeLog).
 */
export async function readChangeLog(
  topLevel: string,
  period: Period,
  at: { commit: string; branch?: string },
  pullRequests?: { path: string; name: string },
): Promise<ChangeLog> {
  const { since, until } = periodInstants(period);
  const commits = await countMergedCommits(topLevel, await readGitLog(topLevel, since, until, at.commit));
  const shallow = await isShallowRepository(topLevel).catch(() => false);
  let records: { file: string; records: PullRequestRecord[] } | undefined;
  if (pullRequests) {
    const text = await readFile(pullRequests.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`--pull-requests ${pullRequests.name}: cannot read the file (${e.code ?? e.message})`);
    });
    records = { file: pullRequests.name, records: parsePullRequestExport(text, pullRequests.name) };
  }
  const owners = codeownersPresence(await readCodeownersEvents(topLevel, at.commit).catch(() => []), period);
  const log = buildChangeLog(period, at.commit, commits, { branch: at.branch ?? 'HEAD', shallow, ...(records ? { pullRequests: records } : {}) });
  log.summary.changeReview.codeowners = owners;
  return log;
}
