// The accuracy harness's pure part: matching findings to labels and expected entries, and the arithmetic of the
// metrics. No file system, no processes: run.mjs feeds it scan reports and label files, and test/accuracy tests it
// on tiny synthetic inputs.
//
// A label is a person's verdict on one finding: { rule, path, line, fingerprint, code, verdict, note }.
// A finding is matched to a label of the same rule and path, in this order:
//   1. the scanner's own fingerprint (`ca1:…`, a hash of rule, path and the masked code line) is equal;
//   2. the label's `code` (codeHash of the finding's snippet, whitespace-normalised) is equal — the nearest line wins;
//   3. the line is equal (the code line changed, e.g. the masking did, but the finding stayed where it was).
// So inserting or removing lines above a finding keeps its label, and so does a change of the message.
// An expected entry is ground truth from the app's own documentation: { rule, path, lines: [first, last], source },
// optionally `also: [{ path, lines }]` for other places the finding may rightly go (the handler or the route
// declaration). It is found when a finding of that rule lies in one of those files within those lines. A finding with no label that
// falls in an expected entry of its rule counts as true (verdict source "expected"); a label always wins.
import { createHash } from 'node:crypto';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const MEDIUM_PLUS = new Set(['critical', 'high', 'medium']);

/** Whitespace-normalised code line (the scanner's masked snippet): what a label's `code` hash is taken of. */
export function normaliseCode(snippet) {
  return String(snippet ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Short hash of the normalised code line: survives line shifts and re-indentation. */
export function codeHash(snippet) {
  const text = normaliseCode(snippet);
  if (!text) return '';
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** The finding as the harness sees it: rule, app-relative path, line, severity, fingerprint, code hash, message. */
export function toObserved(finding, pathOf = (p) => p) {
  return {
    rule: finding.ruleId,
    path: pathOf(finding.location?.path ?? ''),
    line: finding.location?.startLine ?? 0,
    severity: finding.severity,
    fingerprint: finding.fingerprint ?? '',
    code: codeHash(finding.snippet),
    message: finding.message ?? '',
    snippet: finding.snippet ?? '',
  };
}

function expectedRules(entry) {
  return Array.isArray(entry.rule) ? entry.rule : [entry.rule];
}

function inRange(line, lines) {
  const [first, last] = Array.isArray(lines) ? lines : [lines, lines];
  return line >= first && line <= (last ?? first);
}

/**
 * Matches the observed findings of one app to its labels and expected entries.
 * Returns { findings: [{ ...observed, verdict: true|false|null, verdictSource: 'label'|'expected'|null, label, expected: [] }],
 *           expected: [{ ...entry, found: [indices of findings] }], staleLabels: [labels matched by no finding] }.
 */
export function matchApp(observed, labels = [], expected = []) {
  const byRulePath = new Map();
  for (const label of labels) {
    const key = `${label.rule}\u0000${label.path}`;
    if (!byRulePath.has(key)) byRulePath.set(key, []);
    byRulePath.get(key).push(label);
  }
  const used = new Set();
  const findings = observed.map((f) => {
    const candidates = byRulePath.get(`${f.rule}\u0000${f.path}`) ?? [];
    let label = candidates.find((l) => l.fingerprint && l.fingerprint === f.fingerprint);
    if (!label && f.code) {
      const same = candidates.filter((l) => l.code && l.code === f.code);
      // Two findings on one line (two messages of one rule) keep two labels: an unused label is preferred.
      same.sort((a, b) => Number(used.has(a)) - Number(used.has(b)) || Math.abs(a.line - f.line) - Math.abs(b.line - f.line) || a.line - b.line);
      label = same[0];
    }
    if (!label) label = candidates.find((l) => l.line === f.line);
    const hits = [];
    expected.forEach((e, i) => {
      if (!expectedRules(e).includes(f.rule)) return;
      if ([e, ...(e.also ?? [])].some((at) => at.path === f.path && inRange(f.line, at.lines))) hits.push(i);
    });
    if (label) used.add(label);
    let verdict = null;
    let verdictSource = null;
    if (label && typeof label.verdict === 'boolean') {
      verdict = label.verdict;
      verdictSource = 'label';
    } else if (hits.length > 0) {
      verdict = true;
      verdictSource = 'expected';
    }
    return { ...f, verdict, verdictSource, label: label ?? null, expected: hits };
  });
  const expectedOut = expected.map((e, i) => ({ ...e, found: findings.flatMap((f, j) => (f.expected.includes(i) ? [j] : [])) }));
  const staleLabels = labels.filter((l) => !used.has(l));
  return { findings, expected: expectedOut, staleLabels };
}

/** A fresh counter for one (app, rule) or (group, rule) cell. */
export function emptyCounts() {
  return { findings: 0, mediumPlus: 0, true: 0, false: 0, unlabelled: 0, expected: 0, found: 0, lines: 0 };
}

export function addCounts(into, from) {
  for (const k of Object.keys(into)) into[k] += from[k] ?? 0;
  return into;
}

/** Counts of one matched app, per rule: { [rule]: counts }. `lines` is left 0 here (it belongs to the app, not a rule). */
export function countByRule(matched) {
  const out = {};
  const cell = (rule) => {
    if (!out[rule]) out[rule] = emptyCounts();
    return out[rule];
  };
  for (const f of matched.findings) {
    const c = cell(f.rule);
    c.findings += 1;
    if (MEDIUM_PLUS.has(f.severity)) c.mediumPlus += 1;
    if (f.verdict === true) c.true += 1;
    else if (f.verdict === false) c.false += 1;
    else c.unlabelled += 1;
  }
  for (const e of matched.expected) {
    // An entry that several rules may report is counted once, under the first rule it lists.
    const c = cell(expectedRules(e)[0]);
    c.expected += 1;
    if (e.found.length > 0) c.found += 1;
  }
  return out;
}

/** Derived figures of one counts cell: precision over labelled findings only, recall over expected entries, rates per 1,000 lines. */
export function metrics(c, lines) {
  const labelled = c.true + c.false;
  return {
    ...c,
    lines,
    precision: labelled > 0 ? c.true / labelled : null,
    recall: c.expected > 0 ? c.found / c.expected : null,
    perKloc: lines > 0 ? (c.findings * 1000) / lines : null,
    mediumPlusPerKloc: lines > 0 ? (c.mediumPlus * 1000) / lines : null,
  };
}

/**
 * Sums apps into groups (by kind): apps = [{ name, kind, lines, byRule }].
 * Returns { [kind]: { lines, apps: [names], byRule: { [rule]: metrics }, all: metrics } }.
 */
export function summarise(apps) {
  const groups = {};
  for (const app of apps) {
    const g = groups[app.kind] ?? { lines: 0, apps: [], byRule: {}, total: emptyCounts() };
    groups[app.kind] = g;
    g.lines += app.lines;
    g.apps.push(app.name);
    for (const [rule, c] of Object.entries(app.byRule)) {
      g.byRule[rule] = addCounts(g.byRule[rule] ?? emptyCounts(), c);
      addCounts(g.total, c);
    }
  }
  const out = {};
  for (const [kind, g] of Object.entries(groups)) {
    const byRule = {};
    for (const rule of Object.keys(g.byRule).sort()) byRule[rule] = metrics(g.byRule[rule], g.lines);
    out[kind] = { lines: g.lines, apps: g.apps, byRule, all: metrics(g.total, g.lines) };
  }
  return out;
}

/** Label stubs for unlabelled findings: verdict null, for a person to fill in after reading the code. */
export function labelStubs(matched, commit) {
  return matched.findings
    .filter((f) => f.verdict === null)
    .map((f) => ({
      rule: f.rule,
      path: f.path,
      line: f.line,
      severity: f.severity,
      fingerprint: f.fingerprint,
      code: f.code,
      message: f.message,
      verdict: null,
      note: '',
      ...(commit ? { labelledOn: commit } : {}),
    }));
}

/** Checks the thresholds; returns the list of crossings (empty: exit 0). */
export function thresholdCrossings(summary, { minPrecision, maxPerKloc } = {}) {
  const out = [];
  for (const [kind, g] of Object.entries(summary)) {
    for (const [rule, m] of Object.entries(g.byRule)) {
      if (minPrecision != null && m.precision != null && m.precision < minPrecision) {
        out.push(`${kind} ${rule}: precision ${fmtRatio(m.precision)} < ${minPrecision}`);
      }
      if (maxPerKloc != null && kind === 'well-kept' && m.perKloc != null && m.perKloc > maxPerKloc) {
        out.push(`${kind} ${rule}: ${fmtRate(m.perKloc)} findings per 1,000 lines > ${maxPerKloc}`);
      }
    }
  }
  return out;
}

export function fmtRatio(x) {
  return x == null ? '–' : x.toFixed(2);
}

export function fmtRate(x) {
  return x == null ? '–' : x.toFixed(3);
}

const HEAD = '| rule | findings | medium+ | true | false | unlabelled | precision | expected | found | recall | per 1,000 lines | medium+ per 1,000 lines |';
const SEP = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';

function row(name, m) {
  return `| ${name} | ${m.findings} | ${m.mediumPlus} | ${m.true} | ${m.false} | ${m.unlabelled} | ${fmtRatio(m.precision)} | ${m.expected} | ${m.found} | ${fmtRatio(m.recall)} | ${fmtRate(m.perKloc)} | ${fmtRate(m.mediumPlusPerKloc)} |`;
}

/** The markdown report: per group (kind) a per-rule table, then per app a per-rule table. */
export function renderMarkdown({ summary, apps, header = [] }) {
  const lines = [...header];
  for (const kind of Object.keys(summary).sort()) {
    const g = summary[kind];
    lines.push('', `### ${kind} apps, all together (${g.apps.join(', ')}; ${g.lines.toLocaleString('en-US')} lines)`, '', HEAD, SEP);
    for (const [rule, m] of Object.entries(g.byRule)) lines.push(row(rule, m));
    lines.push(row('**all**', g.all));
  }
  for (const app of apps) {
    lines.push('', `### ${app.name} (${app.kind}, ${app.lines.toLocaleString('en-US')} lines)`, '', HEAD, SEP);
    const total = emptyCounts();
    for (const rule of Object.keys(app.byRule).sort()) {
      lines.push(row(rule, metrics(app.byRule[rule], app.lines)));
      addCounts(total, app.byRule[rule]);
    }
    lines.push(row('**all**', metrics(total, app.lines)));
  }
  return `${lines.join('\n')}\n`;
}
