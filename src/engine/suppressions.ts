import { lineTerminatorsFor, splitLines } from '../util/lines.js';
import type { Finding, FindingSuppression, ScanError } from '../types.js';

/**
 * Suppressions an auditor can accept: inline directives in comments and fingerprint entries of the ignore file.
 * Parsing reads source text lines only (no AST), so it works the same for every language, config files included.
 * Applying them is pure: `analyze` receives the directives and ignore entries as data.
 */

export const INLINE_DIRECTIVE = 'complianceagent-ignore';
export const FILE_DIRECTIVE = 'complianceagent-ignore-file';

const RULE_ID = /^SOC2-\d{3}$/;
/** A comment marker, then the directive word; `-file` is optional; nothing else may glue onto the word. */
const DIRECTIVE_RE = /(\/\/|#|\/\*|<!--|^\s*\*(?!\/))\s*complianceagent-ignore(-file)?(?![\w-])(.*)$/;
/** Lines that may appear in the comment block at the top of a file (`complianceagent-ignore-file` lives there). */
const HEADER_LINE_RE = /^\s*(?:$|#|\/\/|\/\*|\*|<!--|-->)/;

export interface SuppressionDirective {
  path: string;
  /** 1-based line of the comment. */
  line: number;
  scope: 'line' | 'file';
  /** Line whose findings it suppresses (scope 'line'): the comment's own line, or the next one for a comment on its own line. */
  targetLine: number;
  ruleIds: string[];
  reason: string;
  /** Why the directive is rejected (it then suppresses nothing); undefined when it is well formed. */
  problem?: string;
}

/** An entry of `.complianceagent-ignore.yml`. */
export interface IgnoreEntry {
  fingerprint: string;
  reason: string;
  author: string;
  /** YYYY-MM-DD; from the day after, the finding is reported again. */
  expires?: string;
  /** Informational: what the fingerprint was when the entry was written. */
  rule?: string;
  path?: string;
}

export interface SuppressionInput {
  /** Inline directives of every scanned file (empty when inline suppressions are refused). */
  directives: readonly SuppressionDirective[];
  ignoreEntries: readonly IgnoreEntry[];
  /** Where the ignore entries were read from, for messages. */
  ignoreFile?: string;
  /** Today as YYYY-MM-DD (the clock is read at the edge, not here). */
  today: string;
}

/** Directives in one file's text. Cheap when the file has none (one `includes`). */
export function parseDirectives(path: string, text: string, language = ''): SuppressionDirective[] {
  if (!text.includes(INLINE_DIRECTIVE)) return [];
  // Lines as the file's parser counts them (a lone CR too), so a directive lands on the finding's line.
  const lines = splitLines(text, lineTerminatorsFor(language));
  const directives: SuppressionDirective[] = [];
  let inHeader = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const isHeaderLine = HEADER_LINE_RE.test(line) || (i === 0 && line.startsWith('#!'));
    const wasHeader = inHeader && isHeaderLine;
    if (!isHeaderLine) inHeader = false;
    if (!line.includes(INLINE_DIRECTIVE)) continue;
    const m = DIRECTIVE_RE.exec(line);
    if (!m) continue;
    const marker = m[1]!;
    const before = line.slice(0, m.index);
    const ownLine = before.trim() === '' || /^\s*\*/.test(marker);
    const body = m[3]!.replace(/\s*(\*\/|-->)\s*$/, '');
    const directive = readBody(body);
    const scope = m[2] ? 'file' : 'line';
    const d: SuppressionDirective = {
      path,
      line: i + 1,
      scope,
      targetLine: ownLine ? i + 2 : i + 1,
      ruleIds: directive.ruleIds,
      reason: directive.reason,
    };
    const problem = directive.problem ?? (scope === 'file' && !wasHeader ? `${FILE_DIRECTIVE} must be in the comment block at the top of the file` : undefined);
    if (problem) d.problem = problem;
    directives.push(d);
  }
  return directives;
}

function readBody(body: string): { ruleIds: string[]; reason: string; problem?: string } {
  const sep = /(^|\s)--(\s|$)/.exec(body);
  const idText = sep ? body.slice(0, sep.index) : body;
  const reason = sep ? body.slice(sep.index + sep[0].length).trim() : '';
  const tokens = idText.split(/[\s,]+/).filter(Boolean);
  const ruleIds = tokens.filter((t) => RULE_ID.test(t));
  const unknown = tokens.filter((t) => !RULE_ID.test(t));
  if (unknown.length > 0) return { ruleIds, reason, problem: `'${unknown[0]}' is not a rule id (write the ids, then ' -- ' and the reason)` };
  if (ruleIds.length === 0) return { ruleIds, reason, problem: 'names no rule id: write the ids it suppresses, e.g. SOC2-006 -- reason' };
  if (!reason) return { ruleIds, reason, problem: "gives no reason: add ' -- ' and why this is accepted" };
  return { ruleIds, reason };
}

export interface SuppressionOutcome {
  findings: Finding[];
  /** Rejected, unused and expired suppressions, as scan errors of kind 'suppression'. */
  errors: ScanError[];
}

/**
 * Marks findings covered by a well-formed inline directive (`inSource`) or a live ignore-file entry (`external`).
 * Reports rejected directives (they suppress nothing), each directive rule id that matched no finding (like
 * ESLint's unused disable directives), and expired ignore entries whose finding is back.
 */
export function applySuppressions(findings: readonly Finding[], input: SuppressionInput, rulesRun: readonly string[]): SuppressionOutcome {
  const errors: ScanError[] = [];
  const byPath = new Map<string, SuppressionDirective[]>();
  for (const d of input.directives) {
    if (d.problem) {
      errors.push({
        path: d.path,
        line: d.line,
        kind: 'suppression',
        message: `${d.scope === 'file' ? FILE_DIRECTIVE : INLINE_DIRECTIVE} ignored: ${d.problem}`,
      });
      continue;
    }
    byPath.set(d.path, [...(byPath.get(d.path) ?? []), d]);
  }
  const used = new Set<string>();
  const entries = new Map(input.ignoreEntries.map((e) => [e.fingerprint, e]));
  const out = findings.map((finding) => {
    const directive = (byPath.get(finding.location.path) ?? []).find(
      (d) => d.ruleIds.includes(finding.ruleId) && (d.scope === 'file' || d.targetLine === finding.location.startLine),
    );
    if (directive) {
      used.add(`${directive.path}:${directive.line}:${finding.ruleId}`);
      return withSuppression(finding, { kind: 'inSource', justification: directive.reason });
    }
    const entry = entries.get(finding.fingerprint);
    if (!entry) return finding;
    if (entry.expires && entry.expires < input.today) {
      errors.push({
        path: finding.location.path,
        line: finding.location.startLine,
        kind: 'suppression',
        message: `the ignore entry for ${finding.fingerprint} (${finding.ruleId}) expired on ${entry.expires}; the finding is reported again`,
      });
      return finding;
    }
    const suppression: FindingSuppression = { kind: 'external', justification: entry.reason, author: entry.author };
    if (entry.expires) suppression.expires = entry.expires;
    return withSuppression(finding, suppression);
  });
  const ran = new Set(rulesRun);
  for (const d of byPath.values()) {
    for (const directive of d) {
      for (const id of directive.ruleIds) {
        if (used.has(`${directive.path}:${directive.line}:${id}`)) continue;
        const why = ran.has(id) ? `no ${id} finding on ${directive.scope === 'file' ? 'this file' : `line ${directive.targetLine}`}` : `${id} did not run`;
        errors.push({
          path: directive.path,
          line: directive.line,
          kind: 'suppression',
          message: `unused ${directive.scope === 'file' ? FILE_DIRECTIVE : INLINE_DIRECTIVE} for ${id} (${why}); remove it`,
        });
      }
    }
  }
  return { findings: out, errors };
}

function withSuppression(finding: Finding, suppression: FindingSuppression): Finding {
  return { ...finding, suppression };
}
