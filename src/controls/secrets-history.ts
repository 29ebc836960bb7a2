/**
 * The secrets-in-history evidence of CC6.1/CC6.6 (issue 15): what `--history` found in the commits reachable
 * from HEAD (src/engine/history.ts), summarised, or that history was not examined. Pure data and text.
 */

export type SecretsHistory =
  | { examined: false }
  | {
      examined: true;
      /** The commit history was read from (HEAD of the repository). */
      head: string;
      /** `--since` as given: only commits after it were read. */
      since?: string;
      /** A shallow clone: only the commits it holds were read (not evidence of a clean history). */
      shallow?: true;
      /** Secrets found (one per value and path, at the commit that added it). */
      secrets: number;
      files: number;
      commits: number;
      /** Kinds found (provider names, `connection string`), sorted. */
      kinds: string[];
      /** Oldest and newest author dates of the commits that added them (YYYY-MM-DD). */
      first?: string;
      last?: string;
    };

export interface HistorySecretLike {
  commit: string;
  authorDate: string;
  path: string;
  kind: string;
}

export function summariseHistory(head: string, secrets: readonly HistorySecretLike[], since?: string, shallow = false): SecretsHistory {
  const dates = secrets.map((s) => s.authorDate.slice(0, 10)).sort();
  return {
    examined: true,
    head,
    ...(since !== undefined ? { since } : {}),
    ...(shallow ? { shallow: true as const } : {}),
    secrets: secrets.length,
    files: new Set(secrets.map((s) => s.path)).size,
    commits: new Set(secrets.map((s) => s.commit)).size,
    kinds: [...new Set(secrets.map((s) => s.kind))].sort(),
    ...(dates.length > 0 ? { first: dates[0]!, last: dates.at(-1)! } : {}),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One sentence for CC6.1/CC6.6, the PDF and the export: what history shows, or that it was not examined. */
export function historyReason(h: SecretsHistory | undefined): string {
  if (!h?.examined)
    return 'Secrets in git history: not examined (give --history to search every commit reachable from HEAD; a secret removed from the files stays in the history).';
  const scope = `commits reachable from ${h.head.slice(0, 12)}${h.since !== undefined ? ` after ${h.since}` : ''}${h.shallow ? ' that a shallow clone holds' : ''}`;
  const partly = h.shallow ? ' The repository is a shallow clone: older commits were not read, so this is no evidence about them.' : '';
  if (h.secrets === 0)
    return `Secrets in git history: examined (${scope}); no provider key, private key or connection-string password found in the lines they added.${partly}`;
  const kinds = h.kinds.length > 6 ? `${h.kinds.slice(0, 6).join(', ')} and ${h.kinds.length - 6} more kinds` : h.kinds.join(', ');
  return `Secrets in git history: examined (${scope}); ${plural(h.secrets, 'secret')} (${kinds}) added in ${plural(h.commits, 'commit')} to ${plural(h.files, 'file')}, from ${h.first} to ${h.last}. They stay in every clone until rotated; each is an open SOC2-002 finding.${partly}`;
}
