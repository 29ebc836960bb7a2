import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { buildChangeLog, type ChangeLog, type Period, periodInstants } from './change-log.js';
import { type PullRequestRecord, parsePullRequestExport } from './change-management.js';
import { isShallowRepository, readGitLog } from './git.js';

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
  const commits = await readGitLog(topLevel, since, until, at.commit);
  const shallow = await isShallowRepository(topLevel).catch(() => false);
  let records: { file: string; records: PullRequestRecord[] } | undefined;
  if (pullRequests) {
    const text = await readFile(pullRequests.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`--pull-requests ${pullRequests.name}: cannot read the file (${e.code ?? e.message})`);
    });
    records = { file: pullRequests.name, records: parsePullRequestExport(text, pullRequests.name) };
  }
  return buildChangeLog(period, at.commit, commits, { branch: at.branch ?? 'HEAD', shallow, ...(records ? { pullRequests: records } : {}) });
}
