import type { Finding } from '../types.js';
import type { ChangeReviewFigures } from '../model/repo-signals.js';
import { looksLikeTestPath } from '../model/secrets.js';
import { type Doc, ensureSpace, FONT, paragraph, table } from './pdf-layout.js';

/** The PDF's change-management parts (cover rows, CC8.1 figures) and the choices of what it prints once. */

const MAX_EXCEPTIONS = 15;

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Cover rows: the period and its change figures. */
export function changeCoverRows(f: ChangeReviewFigures | undefined): Array<[string, string]> {
  if (!f) return [['Period', 'none given: CC8.1 (change management) is not assessed; give --period START:END']];
  return [
    ['Period', `${f.period.start} to ${f.period.end} (${f.branch}, first-parent history)`],
    [
      'Changes',
      `${plural(f.changes, 'change')}: ${plural(f.pullRequests, 'merged pull request')}, ${plural(f.directPushes, 'direct push', 'direct pushes')}, ${plural(f.branchMerges, 'merge')} of other branches; ${f.reviewed} with review evidence, ${plural(f.exceptions.length, 'exception')}`,
    ],
  ];
}

/** CC8.1's figures and its first exceptions (change-log.json of `evidence export` has them all). */
export function changeReviewBlock(doc: Doc, f: ChangeReviewFigures | undefined): void {
  if (!f || f.changes === 0) return;
  ensureSpace(doc, 120);
  paragraph(doc, `Changes to ${f.branch} from ${f.period.start} to ${f.period.end}`, { font: FONT.bold, size: 10 });
  table(
    doc,
    [
      { header: 'Changes', width: 0.14 },
      { header: 'Merged pull requests', width: 0.2 },
      { header: 'Direct pushes', width: 0.16 },
      { header: 'Merges of other branches', width: 0.2 },
      { header: 'With review evidence', width: 0.16 },
      { header: 'Authors', width: 0.14 },
    ],
    [[String(f.changes), String(f.pullRequests), String(f.directPushes), String(f.branchMerges), String(f.reviewed), String(f.authors)]],
  );
  if (f.exceptions.length === 0) return;
  ensureSpace(doc, 90);
  paragraph(
    doc,
    `Changes without review evidence (${f.exceptions.length}${f.exceptions.length > MAX_EXCEPTIONS ? `; the newest ${MAX_EXCEPTIONS}, all are in change-log.json` : ''})`,
    { font: FONT.bold, size: 10 },
  );
  table(
    doc,
    [
      { header: 'Commit', width: 0.13, mono: true },
      { header: 'Date', width: 0.12 },
      { header: 'Author', width: 0.18 },
      { header: 'Kind', width: 0.13 },
      { header: 'Subject', width: 0.44 },
    ],
    f.exceptions.slice(0, MAX_EXCEPTIONS).map((e) => [e.hash.slice(0, 10), e.date.slice(0, 10), e.author, e.kind, e.subject]),
    { size: 7.5 },
  );
}

/** Code that never runs in production: tests, examples, fixtures, sample data, docs. Never among the top risks. */
export function neverRuns(path: string): boolean {
  return looksLikeTestPath(path) || /(^|\/)(examples?|samples?|fixtures?|demo|docs?|data|seeds?|snippets?|challenges?)\//i.test(path);
}

/** The control a finding is printed under: the first of its rule's mapping (its primary control). */
export function primaryControl(f: Finding): string | undefined {
  return f.controls[0];
}

/** One line per rule whose findings are printed under another control (`below`: findings under the threshold, which count nowhere). */
export function referencedElsewhere(findings: readonly Finding[], control: string, below = false): string[] {
  const byRule = new Map<string, { n: number; at: string }>();
  for (const f of findings) {
    const at = primaryControl(f);
    if (at === undefined || at === control) continue;
    const e = byRule.get(f.ruleId) ?? { n: 0, at };
    e.n++;
    byRule.set(f.ruleId, e);
  }
  return [...byRule]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([rule, { n, at }]) =>
      below
        ? `${plural(n, 'finding')} of ${rule} below the threshold also ${n === 1 ? 'maps' : 'map'} here; ${n === 1 ? 'it is' : 'they are'} listed under ${at}.`
        : `${plural(n, 'open finding')} of ${rule} also ${n === 1 ? 'counts' : 'count'} here; ${n === 1 ? 'it is' : 'they are'} printed under ${at}.`,
    );
}
