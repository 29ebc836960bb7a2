import type { Rule } from '../model/rule.js';
import type { Finding, ScanResult } from '../types.js';
import { summarize } from './summary.js';

/**
 * JUnit XML for CI test tabs (GitLab `artifacts:reports:junit`, Jenkins, Azure DevOps): one test suite per rule
 * that ran, a failing test case per finding, one passing case for a rule without findings, suppressed findings
 * as skipped cases with their justification, and scan errors as skipped cases of their own suite (those files
 * were not fully checked). No timestamps: the same tree gives byte-identical XML.
 */

const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function where(f: Finding): string {
  return `${f.location.path}:${f.location.startLine}:${f.location.startColumn}`;
}

function failureBody(f: Finding): string {
  return [
    `${f.message}`,
    `at ${where(f)}`,
    f.snippet.trim() ? `code: ${f.snippet.trim()}` : '',
    `severity: ${f.severity}, confidence: ${f.confidence}`,
    `SOC 2 controls: ${f.controls.join(', ')}; ${f.cwe.join(', ')}`,
    `fingerprint: ${f.fingerprint}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function toJunit(result: ScanResult, rules: readonly Rule[]): string {
  const out: string[] = [];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const sortedRules = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const rule of sortedRules) {
    const findings = result.findings.filter((f) => f.ruleId === rule.id);
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const f of findings) {
      const name = xmlEscape(`${where(f)} ${f.message}`);
      if (f.suppression) {
        suiteSkipped++;
        const by = f.suppression.author ? ` (accepted by ${f.suppression.author}${f.suppression.expires ? ` until ${f.suppression.expires}` : ''})` : '';
        cases.push(
          `    <testcase classname="${rule.id}" name="${name}" file="${xmlEscape(f.location.path)}" line="${f.location.startLine}">\n      <skipped message="${xmlEscape(`suppressed: ${f.suppression.justification}${by}`)}"/>\n    </testcase>`,
        );
      } else {
        suiteFailures++;
        cases.push(
          `    <testcase classname="${rule.id}" name="${name}" file="${xmlEscape(f.location.path)}" line="${f.location.startLine}">\n` +
            `      <failure type="${f.severity}" message="${xmlEscape(f.message)}">${xmlEscape(failureBody(f))}</failure>\n    </testcase>`,
        );
      }
    }
    if (findings.length === 0) cases.push(`    <testcase classname="${rule.id}" name="${xmlEscape(`${rule.id}: no issues detected by automated checks`)}"/>`);
    const count = cases.length;
    tests += count;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${xmlEscape(`${rule.id} ${rule.title}`)}" tests="${count}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (result.errors.length > 0) {
    const cases = result.errors.map(
      (e) =>
        `    <testcase classname="scan-errors" name="${xmlEscape(`${e.path || '(engine)'}${e.line ? `:${e.line}` : ''} ${e.kind}`)}">\n      <skipped message="${xmlEscape(e.message)}"/>\n    </testcase>`,
    );
    tests += cases.length;
    skipped += cases.length;
    suites.push(
      `  <testsuite name="complianceagent scan errors" tests="${cases.length}" failures="0" errors="0" skipped="${cases.length}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  const verdict = summarize(result).verdict;
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<testsuites name="${xmlEscape(`complianceagent ${result.tool.version}: ${verdict}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
  );
  out.push(...suites);
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
