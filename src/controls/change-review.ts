import type { ChangeReviewFigures } from '../model/repo-signals.js';

/**
 * CC8.1's status from the period's change review (src/evidence/change-management.ts): Implemented only when review
 * evidence covers every change to the branch; Partially implemented with the figures when some change has none;
 * Not assessed when no period was read, the period holds no change, or the clone is shallow.
 */

export type ChangeReviewStatus = 'implemented' | 'partial' | 'not-assessed';

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function changeReviewSummary(f: ChangeReviewFigures): string {
  return `${f.reviewed} of ${plural(f.changes, 'change')} to ${f.branch} from ${f.period.start} to ${f.period.end} carry review evidence (${plural(f.pullRequests, 'merged pull request')}, ${plural(f.directPushes, 'direct push', 'direct pushes')}, ${plural(f.branchMerges, 'merge')} of other branches)`;
}

export function changeReviewStatus(f: ChangeReviewFigures | undefined): { status: ChangeReviewStatus; reasons: string[] } {
  if (!f)
    return {
      status: 'not-assessed',
      reasons: [
        'Change review was not read: give --period START:END to classify the changes of the audit period (merged pull requests, direct pushes, review evidence); `evidence export` always does.',
      ],
    };
  const reasons: string[] = [];
  if (f.changes === 0)
    return { status: 'not-assessed', reasons: [`No change was made to ${f.branch} from ${f.period.start} to ${f.period.end}; there is no change to assess.`] };
  reasons.push(
    `${plural(f.changes, 'change')} to ${f.branch} from ${f.period.start} to ${f.period.end} (first-parent history): ${plural(f.pullRequests, 'merged pull request')}, ${plural(f.directPushes, 'direct push', 'direct pushes')}, ${plural(f.branchMerges, 'merge')} of other branches, by ${plural(f.authors, 'author')}.`,
  );
  const count = (kind: string) => f.exceptions.filter((e) => e.kind === kind).length;
  const direct = count('direct-push');
  const merges = count('branch-merge');
  const prs = count('pull-request');
  const gaps: string[] = [];
  if (direct > 0) gaps.push(`${direct} of ${plural(f.changes, 'change')} pushed directly without review evidence`);
  if (merges > 0) {
    const brought = f.exceptions.filter((e) => e.kind === 'branch-merge').reduce((n, e) => n + (e.mergedCommits ?? 0), 0);
    gaps.push(
      `${merges} of ${plural(f.changes, 'change')} ${merges === 1 ? 'is a merge' : 'are merges'} of another branch without review evidence${brought > 0 ? ` (bringing in ${plural(brought, 'commit')} made off the branch, not counted as changes here)` : ''}`,
    );
  }
  if (prs > 0) gaps.push(`${plural(prs, 'pull request')} merged without an approving review (per ${f.pullRequestFile ?? 'the export'})`);
  if (gaps.length > 0) reasons.push(`${gaps.join('; ')}: listed as exceptions in change-log.json.`);
  if (f.committedByHostingService > 0)
    reasons.push(
      `${plural(f.committedByHostingService, 'direct push', 'direct pushes')} ${f.committedByHostingService === 1 ? 'was' : 'were'} committed by GitHub without a pull request number: web edits or rebase merges of pull requests, which git cannot tell apart${f.pullRequestFile ? '' : ' (the pull-request export can)'}.`,
    );
  const unapproved = f.reviewed - f.approved;
  if (unapproved > 0)
    reasons.push(
      f.pullRequestFile
        ? `${plural(unapproved, 'merged pull request')} not in ${f.pullRequestFile}: git records the merge through the hosting service, not the approval.`
        : `For ${plural(unapproved, 'merged pull request')} git records the merge through the hosting service, not who approved it; give --pull-requests FILE (gh pr list --json number,mergedAt,reviewDecision,reviews,mergeCommit) to check approvals.`,
    );
  if (f.approved > 0)
    reasons.push(`Approval recorded for ${plural(f.approved, 'change')} (an approving review in the export or a Reviewed-by/Approved-by trailer).`);
  if (f.codeowners)
    reasons.push(
      f.codeowners.length === 0
        ? `No CODEOWNERS file on ${f.branch} during the period: reviewers were not assigned by ownership.`
        : `CODEOWNERS on ${f.branch}: ${f.codeowners.map((c) => `${c.path} present from ${c.from} to ${c.to}`).join('; ')}.`,
    );
  if (f.shallow) reasons.push('The clone is shallow: history before its cut-off is missing, so the figures may be incomplete.');
  if (f.exceptions.length > 0) return { status: 'partial', reasons };
  if (f.shallow) return { status: 'not-assessed', reasons: [...reasons, 'A shallow history cannot show that every change was reviewed.'] };
  reasons.push('Review evidence covers every change of the period.');
  return { status: 'implemented', reasons };
}
