// npm run bench:compare -- --ts <dir> --py <dir> [--peers <dir>] [--bandit <cmd>] [--runs N]
//
// Side-by-side whole-process timing of complianceagent against the peers a team would otherwise run: ESLint 9 with
// eslint-plugin-security (TypeScript parser, no type information) on a TypeScript app, Bandit on a Python app.
// Each tool is started as its own process under GNU time (`/usr/bin/time`), N rounds (default 3) with the tools
// interleaved inside a round so that load from other processes falls on all of them alike; wall time, CPU time
// (user + system, all threads) and peak RSS come from GNU time, the CPU other processes took meanwhile from /proc/stat
// (busy time of the machine minus the tool's, plus steal), the load average from /proc/loadavg before each run.
// Prints a markdown report (machine, versions, exact commands, medians, ratios, coverage, every run) on stdout;
// progress goes to stderr.
//
// Nothing is downloaded or installed, and no app code is copied: the apps are scanned where they are, and the tools'
// reports go to a temporary folder that is removed at the end. The peers are installed beforehand, outside this
// project (see docs/benchmarks.md, "Side by side with ESLint + eslint-plugin-security and Bandit"):
//   --peers / CA_COMPARE_PEERS   a folder with node_modules/eslint, eslint-plugin-security, @typescript-eslint/parser
//                                and an eslint.config.mjs (default /tmp/peers)
//   --bandit / CA_COMPARE_BANDIT the bandit command (default `bandit` on PATH)
//   --ts / CA_COMPARE_TS_APP, --py / CA_COMPARE_PY_APP   the apps (at least one); --ts-label / --py-label name them
//   --runs / CA_COMPARE_RUNS     rounds per tool (default 3)
// A missing peer, app, build or GNU time stops the script with exit code 2 before anything is timed.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'complianceagent.js');
const GNU_TIME = '/usr/bin/time';
const JS_EXTENSIONS = new Set(['.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs']);

function fail(message) {
  console.error(`bench:compare: ${message}`);
  process.exit(2);
}

const { values: opts } = parseArgs({
  options: {
    ts: { type: 'string', default: process.env.CA_COMPARE_TS_APP },
    py: { type: 'string', default: process.env.CA_COMPARE_PY_APP },
    'ts-label': { type: 'string', default: process.env.CA_COMPARE_TS_LABEL },
    'py-label': { type: 'string', default: process.env.CA_COMPARE_PY_LABEL },
    peers: { type: 'string', default: process.env.CA_COMPARE_PEERS ?? '/tmp/peers' },
    bandit: { type: 'string', default: process.env.CA_COMPARE_BANDIT ?? 'bandit' },
    runs: { type: 'string', default: process.env.CA_COMPARE_RUNS ?? '3' },
  },
  strict: true,
});

// ---- preconditions: everything is checked before the first timed run ------------------------------------------------

const runs = Number(opts.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a whole number of at least 1 (got '${opts.runs}')`);
if (!opts.ts && !opts.py) fail('give at least one app: --ts <dir> (TypeScript app) and/or --py <dir> (Python app), or CA_COMPARE_TS_APP / CA_COMPARE_PY_APP');
if (!existsSync(join(ROOT, 'dist', 'src', 'cli'))) fail('dist/ is missing; run `npm run build` first');
if (!existsSync(GNU_TIME)) fail(`${GNU_TIME} (GNU time) is missing; it measures CPU time and peak RSS of each process (Debian: apt-get install -y time)`);
for (const [flag, dir] of [
  ['--ts', opts.ts],
  ['--py', opts.py],
]) {
  if (dir && !existsSync(dir)) fail(`${flag} ${dir}: no such folder`);
}

const peers = resolve(opts.peers);
const eslint = { bin: join(peers, 'node_modules', 'eslint', 'bin', 'eslint.js'), config: join(peers, 'eslint.config.mjs') };
if (opts.ts) {
  const missing = [
    eslint.bin,
    eslint.config,
    ...['eslint-plugin-security', '@typescript-eslint/parser'].map((p) => join(peers, 'node_modules', p, 'package.json')),
  ].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    fail(
      `the ESLint peer is incomplete in ${peers} (missing ${missing.join(', ')}). Install it outside this project: ` +
        `mkdir -p ${peers} && cd ${peers} && npm init -y && npm install eslint@9 eslint-plugin-security typescript-eslint @typescript-eslint/parser, ` +
        'and add the eslint.config.mjs shown in docs/benchmarks.md',
    );
  }
}
let banditVersion;
if (opts.py) {
  try {
    banditVersion = execFileSync(opts.bandit, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('; ');
  } catch (error) {
    fail(
      `the Bandit peer '${opts.bandit}' does not run (${error.code ?? error.message}); install it (Debian: apt-get install -y bandit) or pass --bandit <cmd>`,
    );
  }
}

// ---- facts about the machine, versions and apps ------------------------------------------------------------------------

function pkgVersion(dir, name) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

function gitHead(dir) {
  try {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return undefined;
  }
}

/** Physical lines of a file, counted as `wc -l` does plus one for a last line without a newline. */
function countLines(path) {
  const text = readFileSync(path);
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === 10) n++;
  return text.length > 0 && text[text.length - 1] !== 10 ? n + 1 : n;
}

/** Files under dir with the given extensions, skipping node_modules, dist and dot-folders. Reading them also warms the page cache before timing. */
function appInventory(dir, extensions) {
  let files = 0;
  let lines = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist' && !entry.name.startsWith('.')) walk(join(d, entry.name));
      } else if (entry.isFile() && extensions.has(extname(entry.name))) {
        files++;
        lines += countLines(join(d, entry.name));
      }
    }
  };
  walk(dir);
  return { files, lines };
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load1 = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
/**
 * CPU seconds the whole machine spent so far (/proc/stat, first line: user nice system idle iowait irq softirq steal,
 * in USER_HZ ticks, 100 a second on Linux): busy time, and steal (time the hypervisor gave this VM's cores to others).
 * Over one run, busy minus the tool's own CPU plus steal is the CPU other processes (and other VMs) took meanwhile.
 */
const machineCpu = () => {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq) / 100, steal: (steal ?? 0) / 100 };
};
/** The verdict uses wall time unless other processes took more than this many cores on average during the runs. */
const FOREIGN_CORES_LIMIT = 0.25;
const work = mkdtempSync(join(tmpdir(), 'ca-compare-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// ---- the tools -----------------------------------------------------------------------------------------------------------

/** complianceagent's JSON report: its own counts of files and lines, findings and scan errors. */
function caCoverage(out) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const langs = Object.entries(r.coverage.filesByLanguage)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');
  return {
    files: r.summary.filesScanned,
    lines: r.summary.linesScanned,
    findings: r.findings.length,
    errors: r.errors.length,
    note: `${langs}; its own line count`,
  };
}

function complianceagent(app, jobs) {
  const args = [CLI, 'scan', app, '--no-cache', '--format', 'json', '--fail-on', 'none', ...(jobs ? ['--jobs', String(jobs)] : [])];
  return {
    name: jobs ? `complianceagent --jobs ${jobs}` : 'complianceagent (default workers)',
    cmd: process.execPath,
    args,
    cwd: ROOT,
    stdout: true,
    ok: [0],
    coverage: caCoverage,
  };
}

function eslintTool(app) {
  return {
    name: 'ESLint + eslint-plugin-security',
    cmd: process.execPath,
    // --no-inline-config: the app's own `eslint-disable` comments name rules of its own config (not loaded here),
    // which would otherwise be reported as errors.
    args: (out) => [eslint.bin, '--config', eslint.config, '--no-inline-config', '--format', 'json', '--output-file', out, '.'],
    cwd: app,
    ok: [0, 1],
    coverage(out) {
      const results = JSON.parse(readFileSync(out, 'utf8'));
      const fatal = results.filter((f) => f.messages.some((m) => m.fatal)).length;
      return {
        files: results.length,
        lines: results.reduce((sum, f) => sum + countLines(f.filePath), 0),
        findings: results.reduce((sum, f) => sum + f.messages.filter((m) => !m.fatal).length, 0),
        errors: fatal,
        note: 'files it linted; physical lines',
      };
    },
  };
}

function banditTool(app) {
  return {
    name: 'Bandit',
    cmd: opts.bandit,
    args: (out) => ['-r', app, '-f', 'json', '-q', '-o', out],
    cwd: app,
    ok: [0, 1], // 1 = issues found
    coverage(out) {
      const r = JSON.parse(readFileSync(out, 'utf8'));
      const files = Object.keys(r.metrics).filter((k) => k !== '_totals');
      return {
        files: files.length,
        lines: files.reduce((sum, f) => sum + countLines(resolve(app, f)), 0),
        findings: r.results.length,
        errors: r.errors.length,
        note: `files it analysed; physical lines (its own "loc", without blank lines: ${fmt(r.metrics._totals.loc)})`,
      };
    },
  };
}

/** One timed whole-process run under GNU time. */
function timedRun(tool, index) {
  const out = join(work, `${tool.name.replace(/\W+/g, '-')}-${index}.json`);
  const timeFile = join(work, 'time.txt');
  const args = typeof tool.args === 'function' ? tool.args(out) : tool.args;
  const fd = tool.stdout ? openSync(out, 'w') : 'ignore';
  const loadBefore = load1();
  const machineBefore = machineCpu();
  const child = spawnSync(GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, tool.cmd, ...args], {
    cwd: tool.cwd,
    stdio: ['ignore', fd, 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CI: 'true' },
  });
  if (typeof fd === 'number') closeSync(fd);
  if (child.error) fail(`${tool.name}: could not start (${child.error.message})`);
  if (!tool.ok.includes(child.status)) fail(`${tool.name} exited with ${child.status}:\n${child.stderr.toString().slice(-2000)}`);
  const [wall, user, sys, maxKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  const machineAfter = machineCpu();
  const foreign = Math.max(0, machineAfter.busy - machineBefore.busy - (user + sys)) + (machineAfter.steal - machineBefore.steal);
  return { wall, cpu: user + sys, rssMiB: maxKiB / 1024, loadBefore, loadAfter: load1(), foreign, out };
}

function commandLine(tool) {
  const args = typeof tool.args === 'function' ? tool.args('<out.json>') : tool.args;
  const shown = [tool.cmd === process.execPath ? 'node' : tool.cmd, ...args].map((a) => (/[\s'"]/.test(a) ? `'${a}'` : a)).join(' ');
  return `(cd ${tool.cwd} && ${shown}${tool.stdout ? ' > <out.json>' : ''})`;
}

// ---- run -------------------------------------------------------------------------------------------------------------------

const apps = [];
if (opts.ts) {
  const dir = resolve(opts.ts);
  apps.push({
    kind: 'TypeScript',
    dir,
    label: opts['ts-label'] ?? gitHead(dir) ?? dir,
    inventory: appInventory(dir, JS_EXTENSIONS),
    inventoryNote: 'JS/TS files (.js .jsx .ts .tsx .mjs .cjs) outside node_modules, dist and dot-folders',
    peer: eslintTool(dir),
    target: 3,
    targetText: '≥ 3× faster than ESLint + eslint-plugin-security',
  });
}
if (opts.py) {
  const dir = resolve(opts.py);
  apps.push({
    kind: 'Python',
    dir,
    label: opts['py-label'] ?? gitHead(dir) ?? dir,
    inventory: appInventory(dir, new Set(['.py'])),
    inventoryNote: '.py files outside dot-folders',
    peer: banditTool(dir),
    target: 1,
    targetText: 'faster than Bandit',
  });
}
for (const app of apps) app.tools = [app.peer, complianceagent(app.dir), complianceagent(app.dir, 1)];

// The scanner under test, fixed at the start: other work may commit or rebuild dist/ while the runs go on.
const caHead = gitHead(ROOT);
const distStamp = () => statSync(join(ROOT, 'dist', 'src', 'engine', 'scan.js')).mtime.toISOString();
const distAtStart = distStamp();
const started = new Date();
const loadStart = readFileSync('/proc/loadavg', 'utf8').trim();
for (const app of apps) {
  for (const tool of app.tools) tool.runs = [];
  for (let round = 1; round <= runs; round++) {
    for (const tool of app.tools) {
      process.stderr.write(`bench:compare: ${app.kind} round ${round}/${runs}: ${tool.name} … `);
      const m = timedRun(tool, round);
      tool.runs.push(m);
      process.stderr.write(
        `${m.wall.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s CPU, ${m.foreign.toFixed(1)} s CPU of others, ${Math.round(m.rssMiB)} MiB, load ${m.loadBefore.toFixed(1)}\n`,
      );
      if (round === runs) tool.cov = tool.coverage(m.out);
    }
  }
}
const loadEnd = readFileSync('/proc/loadavg', 'utf8').trim();
const distAtEnd = distStamp();

// ---- report ----------------------------------------------------------------------------------------------------------------

const cores = availableParallelism();
const lines = [];
const say = (s = '') => lines.push(s);
say(`### Side-by-side run of ${started.toISOString().replace(/\.\d+Z$/, 'Z')}`);
say();
say(`- machine: ${cores} cores (${cpus()[0]?.model.trim() ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`);
say(`- load average (/proc/loadavg) at start \`${loadStart}\`, at end \`${loadEnd}\``);
say(`- complianceagent ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version} at ${caHead ?? '?'} (${CLI}; dist/ built ${distAtStart})`);
if (distAtEnd !== distAtStart) say(`- **dist/ was rebuilt during the runs** (at ${distAtEnd}): later runs may measure a newer scanner`);
if (opts.ts) {
  say(
    `- ESLint ${pkgVersion(peers, 'eslint')}, eslint-plugin-security ${pkgVersion(peers, 'eslint-plugin-security')}, @typescript-eslint/parser ${pkgVersion(peers, '@typescript-eslint/parser')} (${peers})`,
  );
}
if (opts.py) say(`- Bandit: ${banditVersion}`);
say(`- ${runs} run(s) per tool, tools interleaved within each round; medians below; CPU = user + system over all threads; peak RSS from GNU time`);
say();

for (const app of apps) {
  const [peer, ca, ca1] = app.tools;
  for (const t of app.tools) {
    t.wall = median(t.runs.map((r) => r.wall));
    t.cpu = median(t.runs.map((r) => r.cpu));
    t.rss = Math.max(...t.runs.map((r) => r.rssMiB));
    t.load = median(t.runs.map((r) => r.loadBefore));
  }
  const meanLoad = app.tools.flatMap((t) => t.runs.map((r) => r.loadBefore)).reduce((a, b) => a + b, 0) / (runs * app.tools.length);
  // Other processes' CPU during the runs, in cores (their CPU seconds over the runs' wall seconds). The 1-minute load
  // average is no measure of that here: the tools' own previous run (two threads for a minute) keeps it near 2.
  const allRuns = app.tools.flatMap((t) => t.runs);
  const foreignCores = allRuns.reduce((a, r) => a + r.foreign, 0) / allRuns.reduce((a, r) => a + r.wall, 0);
  const loaded = foreignCores > FOREIGN_CORES_LIMIT;
  say(`#### ${app.kind} app: ${app.dir}`);
  say();
  say(`- source: ${app.label}; ${fmt(app.inventory.files)} ${app.inventoryNote}, ${fmt(app.inventory.lines)} physical lines`);
  for (const t of app.tools) say(`- ${t.name}: \`${commandLine(t)}\``);
  say();
  say('| tool | files | lines | findings | errors | wall s | CPU s | peak MiB | load (1 min) |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const t of app.tools) {
    say(
      `| ${t.name} | ${fmt(t.cov.files)} | ${fmt(t.cov.lines)} | ${fmt(t.cov.findings)} | ${fmt(t.cov.errors)} | ${t.wall.toFixed(1)} | ${t.cpu.toFixed(1)} | ${Math.round(t.rss)} | ${t.load.toFixed(1)} |`,
    );
  }
  say();
  for (const t of app.tools) say(`- ${t.name} coverage: ${t.cov.note}`);
  say();
  say(`| ${peer.name} ÷ complianceagent | wall | CPU | target (${app.targetText}) |`);
  say('| --- | ---: | ---: | --- |');
  for (const t of [ca, ca1]) {
    const rw = peer.wall / t.wall;
    const rc = peer.cpu / t.cpu;
    const basis = loaded ? rc : rw;
    const verdict = (app.target > 1 ? basis >= app.target : basis > app.target) ? 'met' : '**not met**';
    say(`| ${t.name} | ${rw.toFixed(2)}× | ${rc.toFixed(2)}× | ${verdict} on ${loaded ? 'CPU' : 'wall'} time |`);
  }
  say();
  say(
    loaded
      ? `Other processes (and steal by the hypervisor) took ${foreignCores.toFixed(2)} of ${cores} cores on average during the runs (more than ${FOREIGN_CORES_LIMIT}), so wall times carry their work; the verdict uses the CPU ratio. Mean 1-minute load average before the runs: ${meanLoad.toFixed(1)}.`
      : `Other processes (and steal by the hypervisor) took ${foreignCores.toFixed(2)} of ${cores} cores on average during the runs (at most ${FOREIGN_CORES_LIMIT}); the verdict uses the wall-time ratio. Mean 1-minute load average before the runs: ${meanLoad.toFixed(1)} (the tools' own previous runs keep it near ${cores}).`,
  );
  say();
  say('| run | tool | wall s | CPU s | CPU s of others | peak MiB | load before → after |');
  say('| ---: | --- | ---: | ---: | ---: | ---: | --- |');
  for (let i = 0; i < runs; i++) {
    for (const t of app.tools) {
      const r = t.runs[i];
      say(
        `| ${i + 1} | ${t.name} | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | ${r.foreign.toFixed(1)} | ${Math.round(r.rssMiB)} | ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)} |`,
      );
    }
  }
  say();
}
console.log(lines.join('\n'));
