import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, ScanResult, Severity } from '../engine/types.js';
import { summarize } from './summary.js';

export interface TerminalOptions {
  color: boolean;
  groupBy?: 'file' | 'rule';
  /** How many skipped files to list before summarising the rest. */
  maxSkippedListed?: number;
}

function severityColour(c: ChalkInstance, s: Severity): (t: string) => string {
  return { critical: c.bgRed.white.bold, high: c.red.bold, medium: c.yellow, low: c.blue }[s];
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function renderFinding(c: ChalkInstance, f: Finding, showPath: boolean): string[] {
  const where = showPath ? `${f.location.path}:${f.location.startLine}:${f.location.startColumn}` : `${f.location.startLine}:${f.location.startColumn}`;
  const sev = severityColour(c, f.severity)(f.severity.padEnd(8));
  const lines = [`  ${c.dim(where.padEnd(showPath ? 0 : 8))} ${sev} ${c.cyan(f.ruleId)}  ${f.message}`];
  if (f.snippet.trim()) lines.push(`      ${c.dim('│')} ${f.snippet.trim()}`);
  lines.push(`      ${c.dim(`controls: ${f.controls.join(', ')} · ${f.cwe.join(', ')} · confidence: ${f.confidence}`)}`);
  if (f.suppression) {
    const by = f.suppression.author ? ` (${f.suppression.author}${f.suppression.expires ? `, until ${f.suppression.expires}` : ''})` : '';
    lines.push(`      ${c.green(`suppressed${f.suppression.kind === 'external' ? ' in the ignore file' : ''}: ${f.suppression.justification}${by}`)}`);
  }
  return lines;
}

export function toTerminal(result: ScanResult, options: TerminalOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  const groupBy = options.groupBy ?? 'file';
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = groupBy === 'file' ? f.location.path : `${f.ruleId} ${f.title}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, findings] of groups) {
    out.push(c.underline(key));
    for (const f of findings) out.push(...renderFinding(c, f, groupBy === 'rule'));
    out.push('');
  }

  if (result.errors.length > 0) {
    out.push(c.bold('Scan errors (these files were not fully analysed):'));
    for (const e of result.errors) out.push(`  ${e.path || '(engine)'}${e.line ? `:${e.line}` : ''}  ${c.magenta(e.kind)}  ${e.message}`);
    out.push('');
  }

  const skipped = result.coverage.skipped;
  if (skipped.length > 0) {
    const max = options.maxSkippedListed ?? 10;
    out.push(c.bold('Skipped:'));
    for (const s of skipped.slice(0, max)) out.push(`  ${s.path}  ${c.dim(s.reason + (s.detail ? ` (${s.detail})` : ''))}`);
    if (skipped.length > max) out.push(c.dim(`  … and ${skipped.length - max} more (the JSON report lists every one)`));
    out.push('');
  }

  const s = summarize(result);
  out.push(c.bold('Summary'));
  const sevParts = (['critical', 'high', 'medium', 'low'] as const).map((k) => severityColour(c, k)(`${s.bySeverity[k]} ${k}`));
  out.push(`  ${plural(s.total, 'finding')}: ${sevParts.join(', ')}`);
  if (Object.keys(s.byControl).length > 0) {
    out.push(`  By SOC 2 control: ${Object.entries(s.byControl).map(([k, v]) => `${k} (${v})`).join(', ')}`);
  }
  const langs = Object.entries(result.coverage.filesByLanguage)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const skippedText = Object.entries(s.skippedByReason).map(([k, v]) => `${v} ${k}`).join(', ');
  out.push(
    `  Scanned ${plural(s.filesScanned, 'file')}${langs ? ` (${langs})` : ''}, ${plural(s.linesScanned, 'line')}` +
      `; ${skipped.length} skipped${skippedText ? ` (${skippedText})` : ''}; ${plural(s.errors, 'error')}; rules: ${result.rulesRun.join(', ') || 'none'}`,
  );
  out.push(s.total === 0 ? c.green(`  ${s.verdict}`) : `  ${s.verdict}`);
  return out.join('\n') + '\n';
}
