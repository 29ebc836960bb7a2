import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Secret-looking values SOC2-002 reports (fake; never valid credentials). */
export const GITHUB_TOKEN = 'ghp_kxwnQrS7RPeMOkIUpkDyr7OSJoRu1XXdo0cZ';
export const STRIPE_KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';

/** A fresh folder outside the repository with the given files. */
export function makeProject(files: Record<string, string>, prefix = 'ca-ci-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  location: { path: string; startLine: number };
  fingerprint: string;
  suppression?: { kind: string; justification: string; author?: string; expires?: string };
}

export interface JsonReport {
  summary: { total: number; suppressed: number; verdict: string };
  findings: JsonFinding[];
  errors: Array<{ path: string; line?: number; kind: string; message: string }>;
}

/** `path:line rule [suppression kind: justification]` per finding: what tests compare. */
export function describeFindings(report: JsonReport): string[] {
  return report.findings.map(
    (f) => `${f.location.path}:${f.location.startLine} ${f.ruleId}${f.suppression ? ` [${f.suppression.kind}: ${f.suppression.justification}]` : ''}`,
  );
}
