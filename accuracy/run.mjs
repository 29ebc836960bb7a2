// npm run accuracy -- [--apps DIR] [--app NAME ...] [--json] [--write-unlabelled FILE] [--min-precision X] [--max-per-kloc X]
//
// Scans every app of accuracy/manifest.json that is present in the apps folder (--apps, env CA_ACCURACY_APPS,
// default /tmp/apps; each app is <DIR>/<name>, a plain tree or a clone), matches the findings to the verdicts in
// accuracy/labels/<name>.json and reports per rule and per app: findings, true / false / unlabelled, precision
// (labelled findings only), recall on the expected entries, findings per 1,000 lines (the scanner's linesScanned)
// and medium-or-above findings per 1,000 lines. Markdown on stdout (or JSON with --json); progress on stderr.
// Nothing is fetched: `npm run accuracy:fetch` does that. See docs/accuracy.md, "The harness".
//
// Options:
//   --apps DIR                the apps folder (default $CA_ACCURACY_APPS or /tmp/apps)
//   --app NAME                only this app (repeatable)
//   --json                    JSON on stdout instead of markdown
//   --write-unlabelled FILE   write label stubs ({ app: [stubs] }) for every finding without a verdict
//   --list-unlabelled all|high  list unlabelled findings in the markdown (default high: high and critical only)
//   --scanner DIR             the complianceagent to measure: a built checkout or an extracted commit with its dist/
//                             (default: this one); its commit is read from its git, else from DIR/.complianceagent-commit
//   --scans DIR               keep each app's scan report as DIR/<name>.json
//   --reuse-scans             read DIR/<name>.json instead of scanning when it was made by the same complianceagent commit
//   --allow-commit-mismatch   scan an app whose folder is not at the pinned commit (labels may not fit)
//   --min-precision X, --max-per-kloc X   exit 1 when a rule's precision is below X / a rule's findings per
//                             1,000 lines on well-kept apps is above X
// Exit codes: 0 done, 1 a threshold crossed, 2 usage error, missing build or no app present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ACCURACY, appCommit, DEFAULT_APPS, fail as failWith, git, ROOT, readManifest } from './common.mjs';
import { countByRule, labelStubs, matchApp, renderMarkdown, SEVERITIES, summarise, thresholdCrossings, toObserved } from './lib.mjs';

const fail = (m) => failWith('accuracy', m);

let parsed;
try {
  parsed = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      apps: { type: 'string', default: process.env.CA_ACCURACY_APPS ?? DEFAULT_APPS },
      app: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'write-unlabelled': { type: 'string' },
      'list-unlabelled': { type: 'string', default: 'high' },
      scanner: { type: 'string' },
      scans: { type: 'string' },
      'reuse-scans': { type: 'boolean', default: false },
      'allow-commit-mismatch': { type: 'boolean', default: false },
      'min-precision': { type: 'string' },
      'max-per-kloc': { type: 'string' },
    },
    strict: true,
  });
} catch (error) {
  fail(`${error.message} (see --help)`);
}
const opts = parsed.values;
if (opts.help) {
  // The usage is the comment block at the top of this file.
  const head = readFileSync(new URL(import.meta.url), 'utf8').split('\n');
  process.stdout.write(
    `${head
      .slice(
        0,
        head.findIndex((l) => !l.startsWith('//')),
      )
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n')}\n`,
  );
  process.exit(0);
}

const number = (flag) => {
  if (opts[flag] == null) return undefined;
  const x = Number(opts[flag]);
  if (!Number.isFinite(x) || x < 0) fail(`--${flag} must be a non-negative number (got '${opts[flag]}')`);
  return x;
};
const minPrecision = number('min-precision');
const maxPerKloc = number('max-per-kloc');
if (!['all', 'high'].includes(opts['list-unlabelled'])) fail(`--list-unlabelled must be all or high`);
if (opts['reuse-scans'] && !opts.scans) fail('--reuse-scans needs --scans DIR');
const SCANNER = resolve(opts.scanner ?? ROOT);
const CLI = join(SCANNER, 'bin', 'complianceagent.js');
if (!existsSync(CLI)) fail(`${CLI} is missing: --scanner must be a complianceagent folder`);
if (!existsSync(join(SCANNER, 'dist', 'src', 'cli'))) fail(`${join(SCANNER, 'dist')} is missing; run \`npm run build\` there first`);

let manifest;
try {
  manifest = readManifest();
} catch (e) {
  fail(e.message);
}
const appsDir = resolve(opts.apps);
const wanted = opts.app ? new Set(opts.app) : null;
if (wanted) for (const n of wanted) if (!manifest.some((a) => a.name === n)) fail(`no app named '${n}' in accuracy/manifest.json`);

// The complianceagent that is measured: its commit, and whether src/ or rules/ differ from it (others may be editing).
let head = 'unknown commit';
let dirty = 0;
if (existsSync(join(SCANNER, '.git'))) {
  head = git(['rev-parse', 'HEAD'], { cwd: SCANNER });
  dirty = git(['status', '--porcelain', '--', 'src', 'rules'], { cwd: SCANNER }).split('\n').filter(Boolean).length;
} else if (existsSync(join(SCANNER, '.complianceagent-commit'))) {
  head = readFileSync(join(SCANNER, '.complianceagent-commit'), 'utf8').trim();
}
const measuredOn = `${head}${dirty > 0 ? ` (+${dirty} uncommitted files in src/ or rules/)` : ''}`;

/**
 * The verdicts of one app: accuracy/labels/<name>.json plus any accuracy/labels/<name>--<topic>.json (one file per
 * line of work, so that two people labelling the same app never edit one file), concatenated.
 */
function readLabels(name) {
  const dir = join(ACCURACY, 'labels');
  const files = readdirSync(dir)
    .filter((f) => f === `${name}.json` || (f.startsWith(`${name}--`) && f.endsWith('.json')))
    .sort();
  const out = { labels: [], expected: [] };
  for (const f of files) {
    const data = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    out.labels.push(...(data.labels ?? []));
    out.expected.push(...(data.expected ?? []));
  }
  return out;
}

function scan(app, dir) {
  const cached = opts.scans ? join(resolve(opts.scans), `${app.name}.json`) : null;
  if (cached && opts['reuse-scans'] && existsSync(cached)) {
    const kept = JSON.parse(readFileSync(cached, 'utf8'));
    if (kept.measuredOn === measuredOn) return kept.report;
    console.error(`accuracy: ${app.name}: kept scan is from ${kept.measuredOn}, scanning again`);
  }
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'scan', dir, '--format', 'json', '--fail-on', 'none', '--no-cache'], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.status !== 0) fail(`${app.name}: the scan failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(0, 3).join(' ')}`);
  console.error(`accuracy: ${app.name}: scanned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const report = JSON.parse(r.stdout);
  if (cached) {
    mkdirSync(resolve(opts.scans), { recursive: true });
    writeFileSync(cached, `${JSON.stringify({ measuredOn, report })}\n`);
  }
  return report;
}

/** The folder git would call the repository root of `dir` (what the scanner makes finding paths relative to). */
function repoRootOf(dir) {
  for (let d = resolve(dir); ; ) {
    if (existsSync(join(d, '.git'))) return d;
    const up = resolve(d, '..');
    if (up === d) return resolve(dir);
    d = up;
  }
}

const apps = [];
const missing = [];
const matchedByApp = {};
for (const app of manifest) {
  if (wanted && !wanted.has(app.name)) continue;
  const appDir = join(appsDir, app.name);
  const dir = app.subdir ? join(appDir, app.subdir) : appDir;
  if (!existsSync(dir)) {
    missing.push(app.name);
    console.error(`accuracy: ${app.name}: ${dir} is missing (npm run accuracy:fetch), left out`);
    continue;
  }
  const { commit, how } = appCommit(appsDir, app.name);
  if (commit !== app.commit) {
    const what = how ? `is at ${commit ?? 'an unreadable commit'} (from its ${how})` : 'has no .git and no marker, so its commit is unknown';
    if (!opts['allow-commit-mismatch']) fail(`${app.name}: ${appDir} ${what}, the manifest pins ${app.commit} (--allow-commit-mismatch to scan anyway)`);
    console.error(`accuracy: ${app.name}: ${what}; the manifest pins ${app.commit}; scanning anyway`);
  }
  const report = scan(app, dir);
  const root = repoRootOf(dir);
  const pathOf = (p) => relative(appDir, resolve(root, p)).split('\\').join('/');
  const observed = report.findings.map((f) => toObserved(f, pathOf));
  const { labels, expected } = readLabels(app.name);
  const matched = matchApp(observed, labels, expected);
  matchedByApp[app.name] = matched;
  apps.push({ name: app.name, kind: app.kind, repo: app.repo, commit: app.commit, lines: report.summary.linesScanned, byRule: countByRule(matched) });
}
if (apps.length === 0) fail(`no app of the manifest is present in ${appsDir} (npm run accuracy:fetch -- --apps ${appsDir})`);

const summary = summarise(apps);
const crossings = thresholdCrossings(summary, { minPrecision, maxPerKloc });

if (opts['write-unlabelled']) {
  const stubs = {};
  for (const [name, m] of Object.entries(matchedByApp)) {
    const s = labelStubs(m, head);
    if (s.length > 0) stubs[name] = s;
  }
  writeFileSync(resolve(opts['write-unlabelled']), `${JSON.stringify(stubs, null, 2)}\n`);
}

const showAll = opts['list-unlabelled'] === 'all';
const listed = (f) => f.verdict === null && (showAll || SEVERITIES.indexOf(f.severity) <= 1);

if (opts.json) {
  const out = {
    measuredOn,
    apps: apps.map((a) => ({ ...a, missed: matchedByApp[a.name].expected.filter((e) => e.found.length === 0) })),
    missing,
    summary,
    unlabelled: Object.fromEntries(Object.entries(matchedByApp).map(([n, m]) => [n, m.findings.filter(listed).map(({ label, expected, ...f }) => f)])),
    staleLabels: Object.fromEntries(Object.entries(matchedByApp).map(([n, m]) => [n, m.staleLabels])),
    thresholdCrossings: crossings,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} else {
  const header = [
    `complianceagent ${measuredOn}; apps from ${appsDir}${missing.length ? `; missing: ${missing.join(', ')}` : ''}.`,
    'Precision counts labelled findings only (and unlabelled findings inside an expected entry of their rule); recall is over the expected entries.',
  ];
  let md = renderMarkdown({ summary, apps, header });
  const extra = [];
  for (const [name, m] of Object.entries(matchedByApp)) {
    const missed = m.expected.filter((e) => e.found.length === 0);
    if (missed.length > 0) {
      extra.push('', `#### ${name}: expected and not found (${missed.length})`, '');
      for (const e of missed) extra.push(`- ${[e.rule].flat().join('/')} ${e.path}:${[e.lines].flat().join('-')} — ${e.source}`);
    }
    const lost = m.staleLabels.filter((l) => l.verdict === true);
    const gone = m.staleLabels.filter((l) => l.verdict !== true);
    if (lost.length > 0) {
      extra.push('', `#### ${name}: findings labelled true that the scanner no longer reports (${lost.length})`, '');
      for (const l of lost) extra.push(`- ${l.rule} ${l.path}:${l.line} — ${l.note ?? ''}`);
    }
    if (gone.length > 0) extra.push('', `${name}: ${gone.length} findings labelled false are no longer reported.`);
    const un = m.findings.filter(listed);
    if (un.length > 0) {
      extra.push('', `#### ${name}: unlabelled ${showAll ? '' : 'high and critical '}findings (${un.length})`, '');
      for (const f of un) extra.push(`- ${f.rule} ${f.severity} ${f.path}:${f.line} — ${f.message.slice(0, 160)}`);
    }
  }
  if (crossings.length > 0) extra.push('', '#### Thresholds crossed', '', ...crossings.map((c) => `- ${c}`));
  md += `${extra.join('\n')}\n`;
  process.stdout.write(md);
}
process.exit(crossings.length > 0 ? 1 : 0);
