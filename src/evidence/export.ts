import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../types.js';
import { UsageError } from '../errors.js';
import type { Rule } from '../model/rule.js';
import type { ScanResult, Severity } from '../types.js';
import { readRuleDoc } from '../util/rule-docs.js';
import { assessmentToJson, controlsVerdict, DISCLAIMER, toControlMatrixCsv, toCsv } from '../controls/control-matrix.js';
import type { ControlAssessment } from '../controls/control-evidence.js';
import { toJson } from '../report/json.js';
import { toSarif } from '../report/sarif.js';
import { withSdkHelp } from '../report/sarif-rules.js';
import type { ChangeLog } from './change-log.js';
import { redactSecretsInText, redactValue } from './redact.js';
import { createZip } from './zip.js';
import { aiEvidence, historyEvidence } from './export-sections.js';
import { historyReason, type SecretsHistory } from '../controls/secrets-history.js';
import { type AiInventory, type ScannedAt, scannedAtText } from '../report/report-model.js';
import type { ProjectModel } from '../model/project.js';

/**
 * The evidence folder of `evidence export`: every file built in memory (pure apart from the rule docs read for
 * SARIF), then written with a `MANIFEST.sha256` in `sha256sum -c` format. Same commit and period → same bytes.
 */

export interface EvidenceFile {
  name: string;
  data: Buffer;
}

export interface ExportInput {
  result: ScanResult<ProjectModel>;
  rules: readonly Rule[];
  assessments: ControlAssessment[];
  changeLog: ChangeLog;
  config: Config;
  /** The configuration file's text and its repo-relative name, when one was used (exported with secrets masked). */
  configFile?: { name: string; text: string };
  threshold: Severity;
  project: string;
  branch?: string;
  /** ISO instant the export is dated (commit date, --date or SOURCE_DATE_EPOCH). */
  date: string;
  /** The commit whose files were scanned, and how it was chosen (--at, the period's last commit). */
  scanned: { commit: string; at?: ScannedAt; dirty: boolean };
  /** Secrets in git history (--history); undefined: not examined. */
  history?: SecretsHistory;
  /** The `agents` inventory (AI section). */
  ai?: AiInventory;
  pdf: Buffer;
}

export const MANIFEST = 'MANIFEST.sha256';

/** Every file an export writes apart from `configuration/<file>`. */
const EXPORT_FILES: ReadonlySet<string> = new Set([
  'README.md',
  'soc2-report.pdf',
  'scan-results.json',
  'scan-results.sarif',
  'control-matrix.csv',
  'control-matrix.json',
  'endpoints.json',
  'endpoints.csv',
  'exceptions.json',
  'exceptions.csv',
  'change-log.json',
  'change-log.csv',
  'configuration.json',
  'ai-agents.json',
  'secrets-history.json',
  MANIFEST,
]);

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean>>): Buffer {
  return Buffer.from(toCsv(header, rows));
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function readme(input: ExportInput, names: readonly string[]): string {
  const { changeLog: log } = input;
  const review = log.summary.changeReview;
  const describe: Record<string, string> = {
    'README.md': 'this index',
    'soc2-report.pdf': 'the SOC 2 evidence report (the same as `report generate`)',
    'scan-results.json': 'findings, scan errors and coverage (JSON report of `scan`)',
    'scan-results.sarif': 'the same findings as SARIF 2.1.0 (suppressed findings carry `suppressions`)',
    'control-matrix.csv': 'one row per control: status, evidence, findings, reasons',
    'control-matrix.json': 'the same with every evidence reference and finding',
    'endpoints.json': 'the endpoint inventory with the guards applying to each endpoint',
    'endpoints.csv': 'the endpoint inventory as a table',
    'exceptions.json': 'the register of suppressions: documented exceptions and rejected suppressions',
    'exceptions.csv': 'the documented exceptions as a table',
    'change-log.json':
      'the changes of the period (first-parent history): author, date, files, merged pull request / direct push / merge of another branch, review evidence, exceptions, security-relevant files (CC8.1)',
    'change-log.csv': 'the same, one row per change',
    'configuration.json': 'the tool and rule versions, the configuration and the options used',
    'ai-agents.json':
      'the AI section: every LLM call site, agent and tool with provider, model, what each tool does and the guards found, and the SOC2-011..015 findings with their controls',
    'secrets-history.json': 'secrets in git history (CC6.1, CC6.6): what `--history` found, masked, or that history was not examined',
    [MANIFEST]: 'SHA-256 of every other file; verify with `sha256sum -c MANIFEST.sha256` in this folder',
  };
  const lines = [
    `# SOC 2 evidence: ${input.project}`,
    '',
    `- Commit: ${log.head}${input.branch ? ` (${input.branch})` : ''}`,
    `- Scanned: ${input.scanned.at ? scannedAtText(input.scanned.at, log.period) : `${input.scanned.commit} (the work tree${input.scanned.dirty ? ', with uncommitted changes' : ''})`}`,
    `- ${historyReason(input.history)}`,
    ...(input.ai ? [`- AI: ${input.ai.summary}`] : []),
    `- Period: ${log.period.start} to ${log.period.end}, ${log.branch} (${log.summary.commits} change${log.summary.commits === 1 ? '' : 's'}: ${review.pullRequests} merged pull request${review.pullRequests === 1 ? '' : 's'}, ${review.directPushes} direct push${review.directPushes === 1 ? '' : 'es'}, ${review.branchMerges} merge${review.branchMerges === 1 ? '' : 's'} of other branches; ${review.reviewed} with review evidence, ${review.exceptions.length} exception${review.exceptions.length === 1 ? '' : 's'}; ${log.summary.securityRelevantCommits} touching security-relevant files)`,
    `- Dated: ${input.date.slice(0, 10)}`,
    `- Tool: ${input.result.tool.name} ${input.result.tool.version}`,
    `- Controls: ${controlsVerdict(input.assessments)}`,
    '',
    '| File | Contents |',
    '| --- | --- |',
    ...names.map(
      (n) =>
        `| ${n} | ${describe[n] ?? (n.startsWith('configuration/') ? 'the configuration file used, with secret values masked (values of password, secret, token and key settings, in comments too)' : '')} |`,
    ),
    '',
    DISCLAIMER,
    '',
  ];
  return lines.join('\n');
}

export function buildEvidenceFiles(input: ExportInput): EvidenceFile[] {
  const { result, rules, assessments, changeLog } = input;
  const endpoints = result.model?.endpoints ?? [];
  const exceptions = result.findings.filter((f) => f.suppression);
  const rejected = result.errors.filter((e) => (e.kind as string) === 'suppression');
  const files: EvidenceFile[] = [
    { name: 'soc2-report.pdf', data: input.pdf },
    { name: 'scan-results.json', data: Buffer.from(toJson(result, rules)) },
    { name: 'scan-results.sarif', data: json(toSarif(result, { rules, ruleHelp: withSdkHelp(readRuleDoc), profile: 'full' })) },
    { name: 'control-matrix.csv', data: Buffer.from(toControlMatrixCsv(assessments)) },
    {
      name: 'control-matrix.json',
      data: json({
        framework: 'soc2',
        // The statuses are of the scanned commit's files (the period's last commit), not of the branch's head.
        commit: input.scanned.commit,
        changeLogHead: changeLog.head,
        severityThreshold: input.threshold,
        verdict: controlsVerdict(assessments),
        disclaimer: DISCLAIMER,
        controls: assessments.map(assessmentToJson),
      }),
    },
    {
      name: 'endpoints.json',
      data: json({
        endpoints: endpoints.map((e) => ({
          methods: e.methods,
          path: e.path,
          framework: e.framework,
          file: e.file,
          line: e.range.start.line,
          guards: e.guards,
          optOuts: e.optOuts,
        })),
      }),
    },
    {
      name: 'endpoints.csv',
      data: csv(
        ['methods', 'path', 'framework', 'file', 'line', 'authentication', 'authorization', 'rate_limit', 'validation', 'audit', 'opt_outs'],
        endpoints.map((e) => {
          const kind = (k: string) =>
            e.guards
              .filter((g) => g.kind === k)
              .map((g) => g.name)
              .join('; ');
          return [
            e.methods.join(' '),
            e.path,
            e.framework,
            e.file,
            e.range.start.line,
            kind('authentication'),
            kind('authorization'),
            kind('rate-limit'),
            kind('validation'),
            kind('audit'),
            e.optOuts.join('; '),
          ];
        }),
      ),
    },
    {
      name: 'exceptions.json',
      data: json({
        documentedExceptions: exceptions.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          path: f.location.path,
          line: f.location.startLine,
          message: f.message,
          fingerprint: f.fingerprint,
          suppression: f.suppression,
        })),
        rejectedSuppressions: rejected,
      }),
    },
    {
      name: 'exceptions.csv',
      data: csv(
        ['rule', 'severity', 'path', 'line', 'kind', 'justification', 'author', 'expires', 'fingerprint'],
        exceptions.map((f) => [
          f.ruleId,
          f.severity,
          f.location.path,
          f.location.startLine,
          f.suppression!.kind,
          f.suppression!.justification,
          f.suppression!.author ?? '',
          f.suppression!.expires ?? '',
          f.fingerprint,
        ]),
      ),
    },
    { name: 'change-log.json', data: json(changeLog) },
    {
      name: 'change-log.csv',
      data: csv(
        [
          'commit',
          'committer_date',
          'author',
          'author_email',
          'merge',
          'kind',
          'pull_request',
          'review',
          'reviewers',
          'subject',
          'files_changed',
          'security_relevant_files',
        ],
        changeLog.commits.map((c) => [
          c.hash,
          c.committerDate,
          c.author,
          c.authorEmail,
          c.merge,
          c.change.kind,
          c.change.pullRequest ?? '',
          c.change.review,
          c.change.reviewers.join('; '),
          c.subject,
          c.files.length,
          c.securityRelevant.map((f) => f.path).join('; '),
        ]),
      ),
    },
    {
      name: 'configuration.json',
      data: json({
        tool: result.tool,
        framework: 'soc2',
        project: input.project,
        scanned: result.repoPrefix || '.',
        commit: changeLog.head,
        scannedCommit: input.scanned.commit,
        scannedFrom: input.scanned.at?.from === 'commit' ? 'commit tree read from git' : 'work tree',
        scannedChosenBy: input.scanned.at
          ? input.scanned.at.chosenBy === 'at'
            ? `--at ${input.scanned.at.ref ?? ''}`
            : 'last commit of the period'
          : 'work tree at HEAD',
        branch: input.branch ?? null,
        period: changeLog.period,
        secretsHistoryExamined: input.history?.examined === true,
        date: input.date,
        severityThreshold: input.threshold,
        configurationFile: input.configFile?.name ?? null,
        configuration: redactValue({
          failOn: input.config.failOn ?? null,
          failOnTestFindings: input.config.failOnTestFindings ?? null,
          include: input.config.include ?? null,
          exclude: input.config.exclude ?? [],
          maxFileSize: input.config.maxFileSize ?? null,
          respectGitignore: input.config.respectGitignore ?? true,
          disabledRules: input.config.disabledRules,
          rules: input.config.settings,
        }),
        rules: rules.map((r) => ({
          id: r.id,
          slug: r.slug,
          title: r.title,
          version: result.tool.version,
          severity: r.severity,
          confidence: r.confidence,
          controls: r.controls,
          cwe: r.cwe,
          ran: result.rulesRun.includes(r.id),
        })),
      }),
    },
  ];
  files.push({ name: 'secrets-history.json', data: json(historyEvidence(input.history, result.findings)) });
  if (input.ai) files.push({ name: 'ai-agents.json', data: json(aiEvidence(input.ai, result.findings, result.rulesRun)) });
  if (input.configFile)
    files.push({ name: `configuration/${input.configFile.name.split('/').pop()}`, data: Buffer.from(redactSecretsInText(input.configFile.text)) });
  const names = ['README.md', ...files.map((f) => f.name), MANIFEST].sort();
  files.push({ name: 'README.md', data: Buffer.from(readme(input, names)) });
  files.sort((a, b) => (a.name < b.name ? -1 : 1));
  return files;
}

/** `<sha256>  <name>` per file, sorted by name: what `sha256sum -c` reads. */
export function toManifest(files: readonly EvidenceFile[]): string {
  return [...files]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => `${sha256(f.data)}  ${f.name}\n`)
    .join('');
}

/**
 * Refuses a folder that is the root of a file system, is not a folder, or holds anything but an earlier
 * export's regular files, so no stray file sits beside the manifest and no symbolic link is written through.
 * Only the folder and its `configuration/` are listed (never a whole tree: `-o /` or `-o ~` answers at once).
 * Without `names`, any file under `configuration/` and the fixed names pass (the check before the scan).
 */
export async function checkTarget(dir: string, names?: ReadonlySet<string>): Promise<void> {
  const hint = 'choose a new or empty folder for the evidence export';
  if (dirname(dir) === dir) throw new UsageError(`the output folder ${dir} is the root of the file system`, hint);
  const info = await lstat(dir).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) throw new UsageError(`the output ${dir} exists and is not a folder`, hint);
  const known = (name: string) => (names ? names.has(name) : EXPORT_FILES.has(name) || /^configuration\/[^/]+$/.test(name));
  const foreign: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'configuration' && entry.isDirectory()) {
      for (const inner of await readdir(join(dir, entry.name), { withFileTypes: true })) {
        if (!inner.isFile() || !known(`configuration/${inner.name}`)) foreign.push(`configuration/${inner.name}`);
      }
    } else if (!entry.isFile() || !known(entry.name)) foreign.push(entry.name);
    if (foreign.length > 3) break;
  }
  foreign.sort();
  if (foreign.length > 0)
    throw new UsageError(`the output folder ${dir} already holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ' …' : ''})`, hint);
}

/** Writes the files and the manifest into `dir`, and `zipPath` when given. Returns the manifest's text. */
export async function writeEvidence(dir: string, files: readonly EvidenceFile[], options: { zipPath?: string; date: Date }): Promise<string> {
  await checkTarget(dir, new Set([...files.map((f) => f.name), MANIFEST]));
  const manifest = toManifest(files);
  for (const f of files) {
    const path = join(dir, ...f.name.split('/'));
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, f.data);
  }
  await writeFile(join(dir, MANIFEST), manifest);
  if (options.zipPath) {
    const folder = dir.split(/[\\/]/).filter(Boolean).pop() ?? 'evidence';
    const entries = [...files, { name: MANIFEST, data: Buffer.from(manifest) }].map((f) => ({ name: `${folder}/${f.name}`, data: f.data }));
    await writeFile(options.zipPath, createZip(entries, options.date));
  }
  return manifest;
}
