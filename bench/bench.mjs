// npm run bench [-- [--rounds N] [--no-scaling] extra paths…]: scans code every machine has (the Python standard
// library of `python3`, this project's node_modules JS/TS) plus any given path. Each round runs, each in its own
// process, a parse-only pass, a cold scan with the default workers followed by a warm (cached) re-scan, and a cold
// scan on one worker (--jobs 1); the order of those three rotates from round to round, so that a slow stretch of the
// machine does not always fall on the same phase. Prints every run, then per phase the median and the spread
// (min–max) of wall and CPU seconds, the ratios computed from the medians, and the growth exponent of wall time over
// lines from cold scans of 25 % and 50 % of the corpus (one each, after the rounds) and the median full cold scan.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PHASE = join(ROOT, 'bench', 'phase.mjs');
const SCANNED = new Set(['.py', '.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts']);

if (!existsSync(join(ROOT, 'dist', 'src', 'engine', 'scan.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

function pythonStdlib() {
  try {
    return execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** Source files under dir (the extensions the scanner parses), skipping site-packages (not the standard library). */
function sourceFiles(dir, base = dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'site-packages') sourceFiles(full, base, out);
    } else if (entry.isFile() && SCANNED.has(extname(entry.name))) out.push(relative(base, full));
  }
  return out.sort();
}

/** Copies every `step`-th source file of each source into a fresh corpus folder (interleaved, so languages stay mixed). */
function buildCorpus(sources, step, into) {
  rmSync(into, { recursive: true, force: true });
  for (const { name, dir, files } of sources) {
    files.forEach((file, i) => {
      if (i % step !== 0) return;
      const target = join(into, name, file);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(dir, file), target);
    });
  }
  return into;
}

const { values: opts, positionals: extras } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: process.env.CA_BENCH_ROUNDS ?? '3' }, 'no-scaling': { type: 'boolean', default: false } },
  strict: true,
});
const rounds = Number(opts.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`bench: --rounds must be a whole number of at least 1 (got '${opts.rounds}')`);
  process.exit(2);
}

const load1 = () => loadavg()[0];
const fmtLoad = (l) => l.map((x) => x.toFixed(1)).join(' / ');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const n = (x) => Math.round(x).toLocaleString('en-US');

function phase(args) {
  const loadBefore = load1();
  const out = execFileSync(process.execPath, [PHASE, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
  const m = JSON.parse(out.trim().split('\n').pop());
  m.loadBefore = loadBefore;
  return m;
}

const sources = [];
const stdlib = pythonStdlib();
if (stdlib && existsSync(stdlib)) sources.push({ name: 'python-stdlib', dir: stdlib });
else console.error('bench: no python3 standard library found; skipping it');
sources.push({ name: 'node-modules', dir: join(ROOT, 'node_modules') });
for (const extra of extras) sources.push({ name: `extra-${sources.length}`, dir: resolve(extra) });
for (const s of sources) s.files = sourceFiles(s.dir);

const work = mkdtempSync(join(tmpdir(), 'ca-bench-'));
const full = buildCorpus(sources, 1, join(work, 'corpus-100'));
const cacheDir = join(work, 'cache');
const loadStart = loadavg();

// The phases of one round; `cold` and `warm` stay together (the warm re-scan reads the cache the cold scan wrote).
const PHASES = [
  { key: 'parse', label: 'parse only (1 thread)', run: () => ({ parse: phase(['parse', full]) }) },
  {
    key: 'cold',
    label: `cold scan (${availableParallelism()} workers, cache written)`,
    run: () => {
      rmSync(cacheDir, { recursive: true, force: true });
      const cold = phase(['scan', full, '--cache-dir', cacheDir]);
      return { cold, warm: phase(['scan', full, '--cache-dir', cacheDir]) };
    },
  },
  { key: 'single', label: 'cold scan, --jobs 1, no cache', run: () => ({ single: phase(['scan', full, '--jobs', '1']) }) },
];
const LABELS = { parse: PHASES[0].label, cold: PHASES[1].label, warm: 'warm re-scan (cache)', single: PHASES[2].label };
const runs = { parse: [], cold: [], warm: [], single: [] };
for (let r = 0; r < rounds; r++) {
  // Rotate the order: round 1 parse → cold+warm → single, round 2 cold+warm → single → parse, …
  for (let i = 0; i < PHASES.length; i++) {
    const p = PHASES[(i + r) % PHASES.length];
    for (const [key, m] of Object.entries(p.run())) {
      m.round = r + 1;
      runs[key].push(m);
      console.error(`bench: round ${r + 1}/${rounds} ${key}: ${m.wall.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s CPU (load ${m.loadBefore.toFixed(1)})`);
    }
  }
}

const summary = {};
for (const [key, ms] of Object.entries(runs)) {
  const walls = ms.map((m) => m.wall);
  const cpus_ = ms.map((m) => m.cpu);
  summary[key] = {
    files: ms[0].files,
    lines: ms[0].lines,
    wall: median(walls),
    wallMin: Math.min(...walls),
    wallMax: Math.max(...walls),
    cpu: median(cpus_),
    cpuMin: Math.min(...cpus_),
    cpuMax: Math.max(...cpus_),
    peakMiB: median(ms.map((m) => m.peakMiB)),
    load: median(ms.map((m) => m.loadBefore)),
  };
}
const { parse, cold, warm, single } = summary;

const scaling = [];
if (!opts['no-scaling']) {
  // Same conditions as the cold scan: default workers, a fresh cache written; one run each (the exponent is a trend).
  scaling.push({ fraction: 0.25, m: phase(['scan', buildCorpus(sources, 4, join(work, 'corpus-25')), '--cache-dir', join(work, 'cache-25')]) });
  scaling.push({ fraction: 0.5, m: phase(['scan', buildCorpus(sources, 2, join(work, 'corpus-50')), '--cache-dir', join(work, 'cache-50')]) });
  scaling.push({ fraction: 1, m: { lines: cold.lines, wall: cold.wall, peakMiB: cold.peakMiB, loadBefore: cold.load } });
}
const loadEnd = loadavg();

console.log('# complianceagent benchmark');
console.log('');
console.log(`- machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`);
console.log(`- load average (1 / 5 / 15 min) at start ${fmtLoad(loadStart)}, at end ${fmtLoad(loadEnd)}`);
console.log(`- corpus: ${sources.map((s) => `${s.name} (${s.dir}, ${s.files.length} files)`).join('; ')}`);
console.log(`- rules: ${runs.cold[0].rules.join(', ')}`);
console.log(
  `- ${rounds} round(s); each phase in its own process; phase order rotated per round; medians, spread = min–max over the rounds; CPU = user + system of all threads`,
);
console.log('');
console.log('| pass | files | lines | wall s (median) | wall min–max | CPU s (median) | CPU min–max | lines/s | peak MiB | load (1 min) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const key of ['parse', 'cold', 'warm', 'single']) {
  const s = summary[key];
  console.log(
    `| ${LABELS[key]} | ${n(s.files)} | ${n(s.lines)} | ${s.wall.toFixed(1)} | ${s.wallMin.toFixed(1)}–${s.wallMax.toFixed(1)} | ${s.cpu.toFixed(1)} | ${s.cpuMin.toFixed(1)}–${s.cpuMax.toFixed(1)} | ${n(s.lines / s.wall)} | ${n(s.peakMiB)} | ${s.load.toFixed(1)} |`,
  );
}

console.log('');
console.log('| round | phase | wall s | CPU s | peak MiB | load before |');
console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
for (const key of ['parse', 'cold', 'warm', 'single'])
  for (const m of runs[key]) console.log(`| ${m.round} | ${key} | ${m.wall.toFixed(1)} | ${m.cpu.toFixed(1)} | ${n(m.peakMiB)} | ${m.loadBefore.toFixed(1)} |`);

let exponent;
if (scaling.length > 0) {
  const xs = scaling.map((s) => Math.log(s.m.lines));
  const ys = scaling.map((s) => Math.log(s.m.wall));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  exponent = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  console.log('');
  console.log('| cold scan of | lines | wall s | lines/s | peak MiB | load before |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const s of scaling)
    console.log(
      `| ${s.fraction * 100} %${s.fraction === 1 ? ' (median)' : ''} | ${n(s.m.lines)} | ${s.m.wall.toFixed(1)} | ${n(s.m.lines / s.m.wall)} | ${n(s.m.peakMiB)} | ${s.m.loadBefore.toFixed(1)} |`,
    );
}

// Ratios from the medians; the per-round ratios (each run against the parse-only run of its own round) show how far
// one round alone could be trusted.
const paired = (key) => runs[key].map((m, i) => m.wall / runs.parse[i].wall);
const range = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const perMillion = (cold.peakMiB / cold.lines) * 1e6;
// The bench itself keeps up to three threads runnable (main thread and two workers), so a load average up to the cores
// plus 1.5 counts as quiet.
const loaded = Math.max(loadStart[0], loadEnd[0], ...Object.values(summary).map((s) => s.load)) > availableParallelism() + 1.5;
// A wall-time target is not judged from a run on a loaded machine (other processes' work is in every wall time).
const wallVerdict = (ok) => (loaded ? 'not judged: loaded machine' : verdict(ok));
console.log('');
console.log('Targets (ratios of medians; per-round ratios in brackets):');
console.log(
  `- cold scan within 2x parse-only: with workers ${(cold.wall / parse.wall).toFixed(2)}x wall [${range(paired('cold'))}], ${(cold.cpu / parse.cpu).toFixed(2)}x CPU (${wallVerdict(cold.wall <= 2 * parse.wall)}); ` +
    `on one thread ${(single.wall / parse.wall).toFixed(2)}x wall [${range(paired('single'))}], ${(single.cpu / parse.cpu).toFixed(2)}x CPU (${wallVerdict(single.wall <= 2 * parse.wall)})`,
);
const warmPaired = runs.warm.map((m, i) => (m.wall / runs.cold[i].wall) * 100);
console.log(
  `- warm re-scan within 15 % of the cold scan: ${((warm.wall / cold.wall) * 100).toFixed(0)} % of its wall time [${warmPaired.map((x) => x.toFixed(0)).join(', ')} %], ${((warm.cpu / cold.cpu) * 100).toFixed(0)} % of its CPU (${wallVerdict(warm.wall <= 0.15 * cold.wall)})`,
);
console.log(
  `- peak memory under 1 GiB per million lines: ${n(cold.peakMiB)} MiB for ${(cold.lines / 1e6).toFixed(2)} M lines, ${n(perMillion)} MiB per million (${verdict(perMillion < 1024)})`,
);
if (exponent !== undefined) console.log(`- time over lines grows with exponent ${exponent.toFixed(2)} (1.00 = linear)`);
if (loaded)
  console.log(
    `- WARNING: the 1-minute load average exceeded ${availableParallelism() + 1.5} (the cores plus the bench's own threads) during the run: wall-time ratios carry other processes' work; compare CPU seconds`,
  );
rmSync(work, { recursive: true, force: true });
