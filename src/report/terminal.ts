import { Chalk, type ChalkInstance } from 'chalk';
import { severityRank, type Finding, type ScanResult, type Severity } from '../types.js';
import { failingFindings, isTestOrExamplePath, summarize, type FailPolicy } from './summary.js';
import { escapeForTerminal as esc } from './terminal-text.js';
import { COLLAPSED_RULE, collapseTestSecrets, collapsedText } from './terminal-tests.js';

export interface TerminalOptions {
  color: boolean;
  groupBy?: 'file' | 'rule';
  /** How many skipped files to list before summarising the rest. */
  maxSkippedListed?: number;
  /** Findings below this severity are not listed (the summary still counts them). Default: list all. */
  minSeverity?: Severity;
  /** One line per finding, `path:line:col: severity rule-id message`, then the verdict. */
  compact?: boolean;
  /** The exit-code policy of the run, for the summary line that explains the exit code. */
  failOn?: Severity | 'none';
  failPolicy?: FailPolicy;
  /** List every low hard-coded-secret finding of test and example files instead of one line per file. */
  verbose?: boolean;
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'] as const;

function severityColour(c: ChalkInstance, s: Severity): (t: string) => string {
  return { critical: c.bgRed.white.bold, high: c.red.bold, medium: c.yellow, low: c.blue }[s];
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function byPosition(a: Finding, b: Finding): number {
  const pa = a.location.path;
  const pb = b.location.path;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return (
    a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** Most severe first; equal severities in file order. */
function bySeverity(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || byPosition(a, b);
}

function shown(result: ScanResult, minSeverity: Severity | undefined): { listed: Finding[]; hidden: Finding[] } {
  if (!minSeverity) return { listed: [...result.findings], hidden: [] };
  const min = severityRank(minSeverity);
  const listed: Finding[] = [];
  const hidden: Finding[] = [];
  for (const f of result.findings) (severityRank(f.severity) >= min ? listed : hidden).push(f);
  return { listed, hidden };
}

function renderFinding(c: ChalkInstance, f: Finding, showPath: boolean, markTests: boolean): string[] {
  const where = showPath ? `${esc(f.location.path)}:${f.location.startLine}:${f.location.startColumn}` : `${f.location.startLine}:${f.location.startColumn}`;
  const sev = severityColour(c, f.severity)(f.severity.padEnd(8));
  const lines = [`  ${c.dim(where.padEnd(showPath ? 0 : 8))} ${sev} ${c.cyan(f.ruleId)}  ${esc(f.message)}`];
  if (f.snippet.trim()) lines.push(`      ${c.dim('│')} ${esc(f.snippet.trim(), { keepTabs: true })}`);
  const test = markTests && isTestOrExamplePath(f.location.path) ? ' · test/example file' : '';
  lines.push(`      ${c.dim(`controls: ${f.controls.join(', ')} · ${f.cwe.join(', ')} · confidence: ${f.confidence}${test}`)}`);
  if (f.suppression) {
    const by = f.suppression.author ? ` (${esc(f.suppression.author)}${f.suppression.expires ? `, until ${esc(f.suppression.expires)}` : ''})` : '';
    lines.push(`      ${c.green(`suppressed${f.suppression.kind === 'external' ? ' in the ignore file' : ''}: ${esc(f.suppression.justification)}${by}`)}`);
  }
  return lines;
}

function severityCounts(c: ChalkInstance, counts: Record<Severity, number>, skipZero: boolean): string {
  return SEVERITY_ORDER.filter((k) => !skipZero || counts[k] > 0)
    .map((k) => severityColour(c, k)(`${counts[k]} ${k}`))
    .join(', ');
}

/** Per rule, most findings of the worst severity first: `SOC2-002  Hard-coded credential or secret  2 critical, 1 low`. */
function ruleSummary(c: ChalkInstance, findings: readonly Finding[]): string[] {
  const rules = new Map<string, { title: string; counts: Record<Severity, number> }>();
  for (const f of findings) {
    if (f.suppression) continue;
    const entry = rules.get(f.ruleId) ?? { title: f.title, counts: { critical: 0, high: 0, medium: 0, low: 0 } };
    entry.counts[f.severity]++;
    rules.set(f.ruleId, entry);
  }
  if (rules.size === 0) return [];
  const rows = [...rules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const idWidth = Math.max(...rows.map(([id]) => id.length));
  const titleWidth = Math.max(...rows.map(([, r]) => r.title.length));
  return [
    '  By rule:',
    ...rows.map(([id, r]) => `    ${c.cyan(id.padEnd(idWidth))}  ${esc(r.title).padEnd(titleWidth)}  ${severityCounts(c, r.counts, true)}`),
  ];
}

/** Explains the exit code: what fails the build, and what was left out of that (test files). */
function failLine(result: ScanResult, options: TerminalOptions): string | undefined {
  const failOn = options.failOn;
  if (failOn === undefined) return undefined;
  if (failOn === 'none') return '  Exit code 0 whatever is found (--fail-on none).';
  const policy = options.failPolicy ?? {};
  const failing = failingFindings(result, failOn, policy).length;
  const tests = policy.includeTestFindings ? 0 : failingFindings(result, failOn, { includeTestFindings: true }).length - failing;
  const testNote =
    tests > 0 ? `; ${plural(tests, 'finding')} at or above ${failOn} in test or example files not counted (--fail-on-test-findings counts them)` : '';
  return failing > 0
    ? `  Fails (exit 1): ${plural(failing, 'finding')} at or above ${failOn} (--fail-on ${failOn})${testNote}.`
    : `  Passes (exit 0): nothing at or above ${failOn} (--fail-on ${failOn})${testNote}.`;
}

function hiddenLine(hidden: readonly Finding[], minSeverity: Severity | undefined): string | undefined {
  const open = hidden.filter((f) => !f.suppression).length;
  if (!minSeverity || open === 0) return undefined;
  return `  ${plural(open, 'finding')} below ${minSeverity} not listed (--min-severity ${minSeverity}); the counts above include them.`;
}

/** `path:line:col: severity rule-id message`, one line per open finding (like ESLint's compact and unix formats). */
function toCompact(c: ChalkInstance, result: ScanResult, options: TerminalOptions): string {
  const { listed, hidden } = shown(result, options.minSeverity);
  const { kept, collapsed } = collapseTestSecrets(listed, options.verbose === true);
  const out: string[] = [];
  const lines: Array<[Finding, string]> = kept
    .filter((x) => !x.suppression)
    .map((f) => [
      f,
      `${esc(f.location.path)}:${f.location.startLine}:${f.location.startColumn}: ${severityColour(c, f.severity)(f.severity)} ${f.ruleId} ${esc(f.message)}`,
    ]);
  for (const file of collapsed) {
    const first = [...file.findings].sort(byPosition)[0]!;
    lines.push([
      first,
      `${esc(file.path)}:${first.location.startLine}:${first.location.startColumn}: ${severityColour(c, 'low')('low')} ${COLLAPSED_RULE} ${collapsedText(file)}`,
    ]);
  }
  for (const [, line] of lines.sort(([a], [b]) => byPosition(a, b))) out.push(line);
  for (const e of result.errors) {
    out.push(`${esc(e.path || '(engine)')}:${e.line ?? 1}:1: ${c.magenta('error')} scan-error ${e.kind}: ${esc(e.message)}`);
  }
  const s = summarize(result);
  if (out.length > 0) out.push('');
  out.push(`${plural(s.total, 'finding')} (${severityCounts(c, s.bySeverity, false)}), ${plural(s.errors, 'scan error')}. ${s.verdict}`);
  const notListed = hiddenLine(hidden, options.minSeverity);
  if (notListed) out.push(notListed.trim());
  const fail = failLine(result, options);
  if (fail) out.push(fail.trim());
  return `${out.join('\n')}\n`;
}

export function toTerminal(result: ScanResult, options: TerminalOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  if (options.compact) return toCompact(c, result, options);
  const out: string[] = [];
  const groupBy = options.groupBy ?? 'file';
  const markTests = options.failOn !== undefined && !options.failPolicy?.includeTestFindings;
  const { listed, hidden } = shown(result, options.minSeverity);
  const { kept, collapsed } = collapseTestSecrets(listed, options.verbose === true);
  const groups = new Map<string, Finding[]>();
  const summaries = new Map<string, string[]>();
  for (const f of kept) {
    const key = groupBy === 'file' ? f.location.path : `${f.ruleId} ${f.title}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const file of collapsed) {
    const first = file.findings[0]!;
    const key = groupBy === 'file' ? file.path : `${first.ruleId} ${first.title}`;
    if (!groups.has(key)) groups.set(key, []);
    const where = groupBy === 'file' ? '' : `${c.dim(esc(file.path))} `;
    summaries.set(key, [
      ...(summaries.get(key) ?? []),
      `  ${where}${severityColour(c, 'low')('low'.padEnd(8))} ${c.cyan(COLLAPSED_RULE)}  ${collapsedText(file)}`,
    ]);
  }
  for (const [key, findings] of [...groups].sort(([a], [b]) => (groupBy === 'file' ? (a < b ? -1 : a > b ? 1 : 0) : 0))) {
    out.push(c.underline(esc(key)));
    for (const f of [...findings].sort(bySeverity)) out.push(...renderFinding(c, f, groupBy === 'rule', markTests));
    out.push(...(summaries.get(key) ?? []));
    out.push('');
  }

  if (result.errors.length > 0) {
    out.push(c.bold('Scan errors (these files were not fully analysed):'));
    for (const e of result.errors) out.push(`  ${esc(e.path || '(engine)')}${e.line ? `:${e.line}` : ''}  ${c.magenta(e.kind)}  ${esc(e.message)}`);
    out.push('');
  }

  const skipped = result.coverage.skipped;
  if (skipped.length > 0) {
    const max = options.maxSkippedListed ?? 10;
    out.push(c.bold('Skipped:'));
    for (const s of skipped.slice(0, max)) out.push(`  ${esc(s.path)}  ${c.dim(esc(s.reason + (s.detail ? ` (${s.detail})` : '')))}`);
    if (skipped.length > max) out.push(c.dim(`  … and ${skipped.length - max} more (the JSON report lists every one)`));
    out.push('');
  }

  const s = summarize(result);
  out.push(c.bold('Summary'));
  out.push(`  ${plural(s.total, 'finding')}: ${severityCounts(c, s.bySeverity, false)}`);
  out.push(...ruleSummary(c, result.findings));
  if (Object.keys(s.byControl).length > 0) {
    out.push(
      `  By SOC 2 control: ${Object.entries(s.byControl)
        .map(([k, v]) => `${k} (${v})`)
        .join(', ')}`,
    );
  }
  const langs = Object.entries(result.coverage.filesByLanguage)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const skippedText = Object.entries(s.skippedByReason)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  out.push(
    `  Scanned ${plural(s.filesScanned, 'file')}${langs ? ` (${langs})` : ''}, ${plural(s.linesScanned, 'line')}` +
      `; ${skipped.length} skipped${skippedText ? ` (${skippedText})` : ''}; ${plural(s.errors, 'error')}; rules: ${result.rulesRun.join(', ') || 'none'}`,
  );
  const notListed = hiddenLine(hidden, options.minSeverity);
  if (notListed) out.push(c.dim(notListed));
  const fail = failLine(result, options);
  if (fail) out.push(fail);
  out.push(s.total === 0 ? c.green(`  ${s.verdict}`) : `  ${s.verdict}`);
  return `${out.join('\n')}\n`;
}
