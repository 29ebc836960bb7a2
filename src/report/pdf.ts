import { SEVERITIES, severityRank, type Finding, type Severity } from '../types.js';
import type { Guard } from '../model/endpoints.js';
import { STATUS_LABELS, CONTROL_STATUSES, type ControlAssessment, type ControlStatus, guardDisplayName } from '../controls/control-evidence.js';
import { DISCLAIMER, controlsVerdict } from '../controls/control-matrix.js';
import { scannedAtText, worstFirst, type ReportModel } from './report-model.js';
import { aiSection, historyCoverText } from './pdf-ai.js';
import { changeCoverRows, changeReviewBlock, neverRuns, primaryControl, referencedElsewhere } from './pdf-changes.js';
import {
  COLOR,
  FONT,
  barChart,
  bullets,
  codeBlock,
  contentWidth,
  createDocument,
  drawFooters,
  drawToc,
  ensureSpace,
  finish,
  heading,
  paragraph,
  pdfText,
  table,
  type Layout,
} from './pdf-layout.js';

/**
 * The SOC 2 evidence report a compliance lead hands over: cover, contents, executive summary, one section per
 * control, documented exceptions, endpoint inventory, scan coverage, methodology. Byte-identical for the same
 * model: the creation date comes from the model and pdfkit derives the document id from it.
 */

const SEVERITY_COLORS: Record<Severity, string> = { critical: '#8b0000', high: '#cf222e', medium: '#bf8700', low: '#0969da' };
const STATUS_COLORS: Record<ControlStatus, string> = { implemented: '#1a7f37', partial: '#bf8700', gap: '#cf222e', 'not-assessed': '#6e7781' };
const MAX_FINDINGS_PER_CONTROL = 25;
const MAX_LISTED = 200;

/** Within a severity, findings in code that runs come before tests, examples and data. */
function runningFirst(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || Number(neverRuns(a.location.path)) - Number(neverRuns(b.location.path)) || worstFirst(a, b);
}

/** A guard as the inventory names it: a check written in the handler body is said to be one, not quoted as code. */
function guardLabel(g: Guard): string {
  if (g.scope === 'handler') return 'check in the handler';
  return guardDisplayName(g.name);
}

function where(f: Finding): string {
  return `${f.location.path}:${f.location.startLine}`;
}

function shortCommit(commit?: string): string {
  return commit ? commit.slice(0, 12) : 'not in a git repository';
}

function cover(layout: Layout, m: ReportModel): void {
  const { doc } = layout;
  doc.addPage();
  const left = doc.page.margins.left;
  doc.rect(0, 0, doc.page.width, 8).fill(COLOR.accent);
  doc.y = 150;
  doc
    .font(FONT.bold)
    .fontSize(28)
    .fillColor(COLOR.accent)
    .text('SOC 2 evidence report', left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
  doc
    .font(FONT.regular)
    .fontSize(16)
    .fillColor(COLOR.text)
    .text(pdfText(m.project), { width: contentWidth(doc) });
  doc.moveDown(2);
  const rows: Array<[string, string]> = [
    ['Scanned', m.scanned],
    ['Git commit', m.commit ? `${m.commit}${m.dirty ? ' (work tree had uncommitted changes)' : ''}` : 'not in a git repository'],
    ...(m.scannedAt ? [['Commit scanned', scannedAtText(m.scannedAt, m.repo.changeReview?.period)] as [string, string]] : []),
    ['Branch', m.branch ?? '-'],
    [
      'Date',
      `${m.date.slice(0, 10)} (${{ commit: 'commit date', option: 'given with --date', SOURCE_DATE_EPOCH: 'SOURCE_DATE_EPOCH', clock: 'time of the run' }[m.dateSource]})`,
    ],
    ...changeCoverRows(m.repo.changeReview),
    ['Git history', m.history?.examined ? historyCoverText(m.history) : 'secrets in git history not examined (give --history)'],
    ['Tool', `${m.tool.name} ${m.tool.version}`],
    [
      'Rule set',
      `${
        m.rules
          .filter((r) => r.enabled)
          .map((r) => r.id)
          .join(', ') || 'none'
      } (${m.tool.name} ${m.tool.version})`,
    ],
    ['Framework', 'SOC 2 (AICPA Trust Services Criteria, paraphrased)'],
  ];
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font(FONT.bold).fontSize(10).fillColor(COLOR.muted).text(label, left, y, { width: 90 });
    doc
      .font(FONT.regular)
      .fillColor(COLOR.text)
      .text(pdfText(value), left + 95, y, { width: contentWidth(doc) - 95 });
    doc.moveDown(0.4);
  }
  doc.moveDown(2);
  paragraph(doc, `${m.summary.verdict} ${controlsVerdict(m.controls)}`, { font: FONT.bold, size: 11 });
  doc.moveDown(1);
  const y = doc.y;
  doc.font(FONT.italic).fontSize(9.5);
  const h = doc.heightOfString(DISCLAIMER, { width: contentWidth(doc) - 20 }) + 16;
  doc.rect(left, y, contentWidth(doc), h).lineWidth(0.8).strokeColor(COLOR.rule).stroke();
  doc.fillColor(COLOR.muted).text(DISCLAIMER, left + 10, y + 8, { width: contentWidth(doc) - 20 });
}

function executiveSummary(layout: Layout, m: ReportModel): void {
  const { doc } = layout;
  heading(layout, 'Executive summary', 1);
  paragraph(
    doc,
    `${m.summary.verdict} ${m.summary.filesScanned} files (${m.summary.linesScanned.toLocaleString('en-US')} lines) were scanned with ${m.rules.filter((r) => r.enabled).length} rule${m.rules.filter((r) => r.enabled).length === 1 ? '' : 's'}. Open findings at or above ${m.threshold} severity decide a control's status; documented exceptions (${m.exceptions.length}) are listed separately and are not counted.`,
  );
  paragraph(doc, 'Open findings by severity', { font: FONT.bold });
  barChart(
    doc,
    SEVERITIES.map((s) => ({ label: s, value: m.summary.bySeverity[s], color: SEVERITY_COLORS[s] })),
  );
  paragraph(doc, 'Control status', { font: FONT.bold });
  barChart(
    doc,
    CONTROL_STATUSES.map((s) => ({ label: STATUS_LABELS[s], value: m.controls.filter((c) => c.status === s).length, color: STATUS_COLORS[s] })),
  );
  paragraph(doc, 'Control matrix', { font: FONT.bold });
  table(
    doc,
    [
      { header: 'Control', width: 0.1 },
      { header: 'Title', width: 0.32 },
      { header: 'Status', width: 0.21 },
      { header: 'Evidence', width: 0.11 },
      { header: 'Open findings', width: 0.13 },
      { header: 'Exceptions', width: 0.13 },
    ],
    m.controls.map((c) => [c.id, c.title, STATUS_LABELS[c.status], String(c.evidence.length), String(c.openFindings.length), String(c.exceptions.length)]),
  );
  ensureSpace(doc, 90);
  paragraph(doc, 'Top risks', { font: FONT.bold });
  const risks = m.topRisks.filter((f) => !neverRuns(f.location.path));
  if (risks.length < m.topRisks.length)
    paragraph(
      doc,
      `Code that never runs in production (tests, examples, fixtures, data: ${m.topRisks.length - risks.length} findings) is left out of the top risks; its findings stay under their controls.`,
      { size: 9, color: COLOR.muted },
    );
  if (risks.length === 0) paragraph(doc, 'No issues detected by automated checks in code that runs.');
  else
    table(
      doc,
      [
        { header: 'Severity', width: 0.1 },
        { header: 'Rule', width: 0.12 },
        { header: 'Location', width: 0.3, mono: true },
        { header: 'Finding', width: 0.48 },
      ],
      risks.slice(0, 10).map((f) => [f.severity, f.ruleId, where(f), f.message]),
    );
}

function findingBlock(layout: Layout, f: Finding, m: ReportModel): void {
  const { doc } = layout;
  ensureSpace(doc, 60);
  doc
    .font(FONT.bold)
    .fontSize(9.5)
    .fillColor(SEVERITY_COLORS[f.severity])
    .text(`${f.severity.toUpperCase()}  `, doc.page.margins.left, doc.y, { continued: true });
  doc.fillColor(COLOR.text).text(pdfText(`${f.ruleId} ${f.title} - ${where(f)}`), { width: contentWidth(doc) });
  paragraph(doc, f.message, { size: 9, gap: 0.2 });
  codeBlock(doc, m.statements?.[f.fingerprint] ?? f.snippet);
  if (f.fix) paragraph(doc, `Suggested change: ${f.fix.description}`, { size: 8.5, color: COLOR.muted, gap: 0.4 });
}

function controlSection(layout: Layout, c: ControlAssessment, m: ReportModel): void {
  const { doc } = layout;
  heading(layout, `${c.id} ${c.title}`, 2);
  doc.font(FONT.bold).fontSize(10).fillColor(STATUS_COLORS[c.status]).text(`Status: ${STATUS_LABELS[c.status]}`);
  doc.moveDown(0.2);
  paragraph(doc, `${c.family}. ${c.paraphrase}`, { size: 9, color: COLOR.muted });
  bullets(doc, c.reasons, { size: 9 });
  doc.moveDown(0.3);
  if (c.id === 'CC8.1') changeReviewBlock(doc, m.repo.changeReview);
  if (c.evidence.length > 0) {
    ensureSpace(doc, 70); // the heading stays with the first rows of its table
    paragraph(doc, 'Positive evidence', { font: FONT.bold, size: 10 });
    table(
      doc,
      [
        { header: 'Kind', width: 0.24 },
        { header: 'Evidence', width: 0.4 },
        { header: 'Files', width: 0.36, mono: true },
      ],
      c.evidence.map((e) => {
        const refs = e.references.slice(0, 5).map((r) => (r.line ? `${r.path}:${r.line}` : r.path));
        if (e.references.length > 5) refs.push(`… and ${e.references.length - 5} more`);
        return [e.kind, e.summary, refs.join('\n') || '-'];
      }),
    );
  }
  // Each finding is printed once, under its rule's primary control; the other controls it counts for point there.
  const own = c.openFindings.filter((f) => primaryControl(f) === c.id);
  if (c.openFindings.length > 0) {
    ensureSpace(doc, 70);
    paragraph(doc, `Open findings (${c.openFindings.length}${own.length < c.openFindings.length ? `, ${own.length} printed here` : ''})`, {
      font: FONT.bold,
      size: 10,
    });
    for (const line of referencedElsewhere(c.openFindings, c.id)) paragraph(doc, line, { size: 9, color: COLOR.muted, gap: 0.2 });
    for (const f of [...own].sort(runningFirst).slice(0, MAX_FINDINGS_PER_CONTROL)) findingBlock(layout, f, m);
    if (own.length > MAX_FINDINGS_PER_CONTROL)
      paragraph(
        doc,
        `… and ${own.length - MAX_FINDINGS_PER_CONTROL} more open findings; the full list is in the JSON and SARIF results of \`evidence export\`.`,
        { size: 9, color: COLOR.muted },
      );
    const rules = [...new Set(own.map((f) => f.ruleId))].sort();
    for (const id of rules) {
      const rule = m.rules.find((r) => r.id === id);
      if (rule) paragraph(doc, `How to fix ${id} (${rule.title}): ${rule.remediation}`, { size: 9, gap: 0.6 });
    }
  }
  if (c.belowThreshold.length > 0) {
    // Like the counted findings: listed once, under the primary control of their rule; the others point there.
    const ownBelow = c.belowThreshold.filter((f) => primaryControl(f) === c.id);
    ensureSpace(doc, 50); // the heading stays with its first lines
    paragraph(
      doc,
      `Open findings below ${m.threshold} severity (${c.belowThreshold.length}, not counted${ownBelow.length < c.belowThreshold.length ? `, ${ownBelow.length} listed here` : ''})`,
      { font: FONT.bold, size: 10 },
    );
    for (const line of referencedElsewhere(c.belowThreshold, c.id, true)) paragraph(doc, line, { size: 9, color: COLOR.muted, gap: 0.2 });
    const listed = [...ownBelow]
      .sort(worstFirst)
      .slice(0, MAX_FINDINGS_PER_CONTROL)
      .map((f) => `${f.severity} ${f.ruleId} ${where(f)}: ${f.message}`);
    if (ownBelow.length > listed.length)
      listed.push(`… and ${ownBelow.length - listed.length} more (all are in the JSON and SARIF results of \`evidence export\`)`);
    if (listed.length > 0) bullets(doc, listed, { size: 8.5 });
  }
  if (c.exceptions.length > 0) paragraph(doc, `Documented exceptions: ${c.exceptions.length} (see "Documented exceptions").`, { size: 9, color: COLOR.muted });
}

function exceptionsSection(layout: Layout, m: ReportModel): void {
  const { doc } = layout;
  if (m.exceptions.length === 0) {
    // An empty section is one line, not a page.
    doc.moveDown(1);
    heading(layout, 'Documented exceptions', 1, { newPage: false });
    paragraph(doc, 'No documented exceptions: no finding was suppressed with a justification.');
    return;
  }
  heading(layout, 'Documented exceptions', 1);
  paragraph(
    doc,
    'Findings suppressed with a justification in the code (`complianceagent-ignore <rule> -- <reason>`) or in an ignore file. They stay visible here and in the evidence export and never fail a build.',
  );
  table(
    doc,
    [
      { header: 'Rule', width: 0.11 },
      { header: 'Severity', width: 0.1 },
      { header: 'Location', width: 0.27, mono: true },
      { header: 'Justification', width: 0.37 },
      { header: 'Accepted by / until', width: 0.15 },
    ],
    m.exceptions
      .slice(0, MAX_LISTED)
      .map((f) => [
        f.ruleId,
        f.severity,
        where(f),
        f.suppression!.justification,
        [f.suppression!.author, f.suppression!.expires].filter(Boolean).join(' / ') || (f.suppression!.kind === 'inSource' ? 'in source' : '-'),
      ]),
  );
}

function endpointsSection(layout: Layout, m: ReportModel): void {
  heading(layout, 'Endpoint inventory', 1);
  const { doc } = layout;
  if (m.endpoints.length === 0) {
    paragraph(
      doc,
      'No HTTP endpoints were found. Either the project serves no HTTP API, or its framework is not yet covered by the endpoint model (express, fastify, koa, NestJS, Next.js, FastAPI, Flask, Django as they become available); controls that depend on endpoint coverage say so.',
    );
    return;
  }
  paragraph(
    doc,
    `${m.endpoints.length} endpoints with the authentication, authorisation and rate-limiting guards that apply to each at every scope, and why a public endpoint is public; validation and audit guards are in endpoints.json and endpoints.csv of \`evidence export\`.`,
  );
  const guards = (kind: string, e: ReportModel['endpoints'][number]) => [...new Set(e.guards.filter((g) => g.kind === kind).map(guardLabel))].join(', ');
  table(
    doc,
    [
      { header: 'Method', width: 0.1 },
      { header: 'Path', width: 0.2, mono: true },
      { header: 'Authentication', width: 0.14 },
      { header: 'Authorisation', width: 0.13 },
      { header: 'Rate limit', width: 0.1 },
      { header: 'Public because', width: 0.13 },
      { header: 'Declared at', width: 0.2, mono: true },
    ],
    m.endpoints
      .slice(0, 1000)
      .map((e) => [
        e.methods.join(','),
        e.path,
        guards('authentication', e) || '-',
        guards('authorization', e) || '-',
        guards('rate-limit', e) || '-',
        [e.publicByDesign, ...e.optOuts].filter(Boolean).join('; ') || '-',
        `${e.file}:${e.range.start.line}`,
      ]),
    { size: 7.5 },
  );
}

function coverageSection(layout: Layout, m: ReportModel): void {
  heading(layout, 'Scan coverage', 1);
  const { doc } = layout;
  const langs = Object.entries(m.coverage.filesByLanguage).sort(([a], [b]) => (a < b ? -1 : 1));
  paragraph(
    doc,
    `${m.summary.filesScanned} files and ${m.summary.linesScanned.toLocaleString('en-US')} lines were analysed; ${m.coverage.skipped.length} paths were left out on purpose and ${m.errors.length} could not be analysed.`,
  );
  table(
    doc,
    [
      { header: 'Language', width: 0.5 },
      { header: 'Files', width: 0.5 },
    ],
    langs.map(([l, n]) => [l, String(n)]),
  );
  const reasons = Object.entries(m.summary.skippedByReason);
  if (reasons.length > 0) {
    paragraph(doc, 'Skipped paths by reason', { font: FONT.bold });
    table(
      doc,
      [
        { header: 'Reason', width: 0.5 },
        { header: 'Paths', width: 0.5 },
      ],
      reasons.map(([r, n]) => [r, String(n)]),
    );
    paragraph(
      doc,
      `Skipped paths${m.coverage.skipped.length > MAX_LISTED ? ` (first ${MAX_LISTED} of ${m.coverage.skipped.length}; all are in the JSON results)` : ''}`,
      { font: FONT.bold },
    );
    table(
      doc,
      [
        { header: 'Path', width: 0.5, mono: true },
        { header: 'Reason', width: 0.18 },
        { header: 'Detail', width: 0.32 },
      ],
      m.coverage.skipped.slice(0, MAX_LISTED).map((s) => [s.path, s.reason, s.detail ?? '']),
      { size: 7.5 },
    );
  }
  paragraph(doc, 'Scan errors', { font: FONT.bold });
  if (m.errors.length === 0) paragraph(doc, 'None: every file found was read and parsed.');
  else
    table(
      doc,
      [
        { header: 'Path', width: 0.35, mono: true },
        { header: 'Kind', width: 0.1 },
        { header: 'Message', width: 0.55 },
      ],
      m.errors.slice(0, MAX_LISTED).map((e) => [e.line ? `${e.path}:${e.line}` : e.path || '-', e.kind, e.message]),
      { size: 7.5 },
    );
}

function methodologySection(layout: Layout, m: ReportModel): void {
  heading(layout, 'Methodology', 1);
  const { doc } = layout;
  paragraph(
    doc,
    `${m.tool.name} reads the repository's source and configuration files; it never executes or imports them and makes no network calls. Each file is parsed once (JavaScript and TypeScript with Babel, Python with tree-sitter); rules read the extracted facts and the project's endpoint model. Secret values are masked when a finding is made, so no excerpt in this report contains one.`,
  );
  paragraph(doc, "A control's status combines two kinds of evidence:", { font: FONT.bold });
  bullets(doc, [
    'Positive evidence: what the code and the repository show is in place, with file references - libraries imported in non-test code (password hashing, validation, rate limiting, logging ...), the share of endpoints covered by authentication, authorisation and rate-limiting guards, dependency update configuration, lockfiles, CI workflows that run tests or security scanners, CODEOWNERS and git history.',
    `Negative evidence: open findings at or above ${m.threshold} severity of the rules mapped to the control.`,
  ]);
  table(
    doc,
    [
      { header: 'Status', width: 0.25 },
      { header: 'Meaning', width: 0.75 },
    ],
    [
      [
        'Implemented',
        "positive evidence that covers the control's scope (e.g. a guard on every endpoint that needs it, review evidence for every change of the period), a check for problems ran, and no open finding at or above the threshold",
      ],
      ['Partially implemented', 'positive evidence and open findings, or evidence covering part of the scope (figures in the reasons)'],
      ['Gap', 'open findings and no positive evidence'],
      [
        'Not assessed',
        'the control lies outside code, the evidence shows a mechanism exists but not where it applies (a library import), or neither evidence nor findings were found; absence of findings is never evidence',
      ],
    ],
  );
  paragraph(doc, 'Rules', { font: FONT.bold });
  table(
    doc,
    [
      { header: 'Rule', width: 0.12 },
      { header: 'Title', width: 0.42 },
      { header: 'Severity', width: 0.12 },
      { header: 'Controls', width: 0.18 },
      { header: 'In this scan', width: 0.16 },
    ],
    m.rules.map((r) => [r.id, r.title, r.severity, r.controls.join(', '), r.enabled ? 'ran' : 'switched off']),
  );
  paragraph(
    doc,
    'Rules of the SOC 2 mapping not listed here are not available in this version; the controls they map to say "not assessed by automated checks yet" for that part.',
    { size: 9, color: COLOR.muted },
  );
  paragraph(doc, 'Limits', { font: FONT.bold });
  bullets(doc, [
    'An imported library shows a mechanism is present, not that it is applied everywhere; endpoint coverage and the rules check where it is missing.',
    'Where nothing is found the report says "no issues detected by automated checks"; that is not an attestation.',
    DISCLAIMER,
  ]);
}

export async function toPdf(m: ReportModel): Promise<Buffer> {
  const date = new Date(m.date);
  const doc = createDocument({
    title: `SOC 2 evidence report - ${m.project}`,
    subject: `SOC 2 control evidence for ${m.project} at ${shortCommit(m.commit)}`,
    keywords: 'SOC 2, audit evidence, complianceagent',
    creationDate: date,
  });
  const layout: Layout = { doc, toc: [] };
  cover(layout, m);
  doc.addPage();
  const tocPage = 1;
  executiveSummary(layout, m);
  heading(layout, 'Controls', 1);
  paragraph(
    doc,
    'One section per control of the catalog: status with its reasons, positive evidence with file references, open findings with a redacted code excerpt and the fix.',
  );
  for (const c of m.controls) controlSection(layout, c, m);
  exceptionsSection(layout, m);
  // Before the endpoint inventory: an AI section of one line ("no LLM call found") shares the exceptions' page.
  aiSection(layout, m);
  endpointsSection(layout, m);
  coverageSection(layout, m);
  methodologySection(layout, m);

  drawToc(doc, tocPage, layout.toc);
  for (const e of layout.toc) if (e.level === 1) doc.outline.addItem(pdfText(e.title));
  drawFooters(doc, `${m.tool.name} ${m.tool.version} - SOC 2 evidence report - ${m.project} @ ${shortCommit(m.commit)} - ${m.date.slice(0, 10)}`);
  return finish(doc);
}
