import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { Finding } from '../types.js';

/**
 * A baseline: the findings a team accepted as "already there". Identity is the content-based fingerprint, which
 * already carries the occurrence index among equal findings in a file: moving code keeps a finding matched, a
 * second copy of the same problem gets the next occurrence index and is new.
 *
 * The file is JSON with one entry per line, sorted, without timestamps, so two branches that add findings
 * merge like any sorted list.
 */

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  path: string;
}

export interface BaselineOutcome {
  /** Findings not in the baseline: the ones reported and judged by --fail-on. */
  findings: Finding[];
  /** How many findings the baseline matched (left out of the report). */
  matched: number;
  /** Baseline entries no finding matched any more (fixed, or moved to another file). */
  stale: number;
}

/** Unsuppressed findings only: a suppression that later expires must bring its finding back as new. */
export function formatBaseline(findings: readonly Finding[]): string {
  const entries = findings.filter((f) => !f.suppression).map((f): BaselineEntry => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.location.path }));
  const unique = [...new Map(entries.map((e) => [e.fingerprint, e])).values()];
  unique.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  const lines = unique.map((e) => `    ${JSON.stringify(e)}`);
  return `{\n  "version": ${BASELINE_VERSION},\n  "tool": "complianceagent",\n  "findings": [\n${lines.join(',\n')}${lines.length ? '\n' : ''}  ]\n}\n`;
}

export function parseBaseline(text: string, source: string): BaselineEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`, 'recreate it with --baseline-write');
  }
  const r = raw as { version?: unknown; findings?: unknown };
  if (typeof raw !== 'object' || raw === null || r.version !== BASELINE_VERSION || !Array.isArray(r.findings)) {
    throw new UsageError(`${source} is not a complianceagent baseline (version ${BASELINE_VERSION})`, 'recreate it with --baseline-write');
  }
  return r.findings.map((e: unknown, i: number) => {
    const entry = e as Partial<BaselineEntry>;
    if (typeof entry?.fingerprint !== 'string') throw new UsageError(`${source}: findings[${i}] has no fingerprint`, 'recreate it with --baseline-write');
    return { fingerprint: entry.fingerprint, ruleId: String(entry.ruleId ?? ''), path: String(entry.path ?? '') };
  });
}

export async function readBaseline(file: string, source: string): Promise<BaselineEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read baseline ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'create one with --baseline-write FILE',
    );
  }
  return parseBaseline(text, source);
}

/** Leaves out findings the baseline holds. Suppressed findings stay (they are documented exceptions either way). */
export function applyBaseline(findings: readonly Finding[], baseline: readonly BaselineEntry[]): BaselineOutcome {
  const known = new Set(baseline.map((e) => e.fingerprint));
  const hit = new Set<string>();
  const kept = findings.filter((f) => {
    if (f.suppression || !known.has(f.fingerprint)) return true;
    hit.add(f.fingerprint);
    return false;
  });
  return { findings: kept, matched: findings.length - kept.length, stale: known.size - hit.size };
}
