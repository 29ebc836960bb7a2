import type { Finding } from '../types.js';
import { STATUS_LABELS, type ControlAssessment, type ControlStatus } from './control-evidence.js';

/** The control matrix in the formats `controls test` and `evidence export` write: terminal table, JSON, CSV. */

export const DISCLAIMER =
  'Automated checks support an audit and do not replace one: the statuses summarise evidence found in the code and the repository; an auditor attests.';

function findingRef(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    path: f.location.path,
    line: f.location.startLine,
    message: f.message,
    fingerprint: f.fingerprint,
    ...(f.suppression ? { suppression: f.suppression } : {}),
  };
}

export function assessmentToJson(a: ControlAssessment) {
  return {
    id: a.id,
    title: a.title,
    family: a.family,
    status: a.status,
    statusLabel: STATUS_LABELS[a.status],
    assessableFromCode: a.assessableFromCode,
    reasons: a.reasons,
    evidence: a.evidence,
    openFindings: a.openFindings.map(findingRef),
    belowThreshold: a.belowThreshold.map(findingRef),
    exceptions: a.exceptions.map(findingRef),
    checks: a.checks,
  };
}

export function statusCounts(assessments: readonly ControlAssessment[]): Record<ControlStatus, number> {
  const counts: Record<ControlStatus, number> = { implemented: 0, partial: 0, gap: 0, 'not-assessed': 0 };
  for (const a of assessments) counts[a.status]++;
  return counts;
}

/** The one-line verdict: never "compliant". */
export function controlsVerdict(assessments: readonly ControlAssessment[]): string {
  const c = statusCounts(assessments);
  return `${c.implemented} implemented, ${c.partial} partially implemented, ${c.gap} gap${c.gap === 1 ? '' : 's'}, ${c['not-assessed']} not assessed (of ${assessments.length} controls).`;
}

export function toControlsTable(assessments: readonly ControlAssessment[], options: { details?: boolean } = {}): string {
  const header = ['CONTROL', 'STATUS', 'EVIDENCE', 'OPEN FINDINGS', 'TITLE'];
  const rows = assessments.map((a) => [a.id, STATUS_LABELS[a.status], String(a.evidence.length), String(a.openFindings.length), a.title]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const out = [line(header), ...rows.map(line), ''];
  if (options.details !== false) {
    for (const a of assessments) {
      out.push(`${a.id} ${a.title}: ${STATUS_LABELS[a.status]}`);
      for (const e of a.evidence)
        out.push(
          `  + ${e.kind}: ${e.summary}${e.references[0] ? ` (${e.references[0].path}${e.references[0].line ? `:${e.references[0].line}` : ''}${e.references.length > 1 ? ` +${e.references.length - 1}` : ''})` : ''}`,
        );
      for (const f of a.openFindings) out.push(`  - ${f.ruleId} ${f.severity} ${f.location.path}:${f.location.startLine} ${f.message}`);
      for (const r of a.reasons) out.push(`    ${r}`);
      out.push('');
    }
  }
  out.push(controlsVerdict(assessments), DISCLAIMER, '');
  return out.join('\n');
}

export function csvCell(value: string | number | boolean): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (CRLF line ends), which spreadsheets open as-is. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean>>): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One row per control; evidence and reasons joined with ` | ` so the matrix opens cleanly in a spreadsheet. */
export function toControlMatrixCsv(assessments: readonly ControlAssessment[]): string {
  const header = [
    'control',
    'title',
    'family',
    'status',
    'evidence_count',
    'open_findings',
    'below_threshold',
    'exceptions',
    'evidence',
    'findings',
    'reasons',
    'rules',
  ];
  const rows = assessments.map((a) => [
    a.id,
    a.title,
    a.family,
    STATUS_LABELS[a.status],
    a.evidence.length,
    a.openFindings.length,
    a.belowThreshold.length,
    a.exceptions.length,
    a.evidence
      .map((e) => `${e.kind}: ${e.summary}${e.references.length ? ` [${e.references.map((r) => (r.line ? `${r.path}:${r.line}` : r.path)).join(', ')}]` : ''}`)
      .join(' | '),
    a.openFindings.map((f) => `${f.ruleId} ${f.severity} ${f.location.path}:${f.location.startLine}`).join(' | '),
    a.reasons.join(' | '),
    a.checks.map((c) => `${c.ruleId}:${c.state}`).join(' '),
  ]);
  return toCsv(header, rows);
}
