// npm run bench [-- extra paths…]: scans code every machine has (the Python standard library of `python3`, this
// project's node_modules JS/TS) plus any given path; prints lines/s, files/s, wall and CPU seconds and peak memory
// for a parse-only pass, a cold scan, a warm (cached) re-scan and a cold scan on one thread, then the growth
// exponent of wall time over lines from cold scans of 25 %, 50 % and 100 % of the corpus.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

function phase(args) {
  const out = execFileSync(process.execPath, [PHASE, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
  return JSON.parse(out.trim().split('\n').pop());
}

function row(label, m) {
  const cells = [
    label,
    m.files.toLocaleString('en-US'),
    m.lines.toLocaleString('en-US'),
    m.wall.toFixed(1),
    m.cpu.toFixed(1),
    Math.round(m.lines / m.wall).toLocaleString('en-US'),
    Math.round(m.files / m.wall).toLocaleString('en-US'),
    Math.round(m.peakMiB).toLocaleString('en-US'),
  ];
  return `| ${cells.join(' | ')} |`;
}

const sources = [];
const stdlib = pythonStdlib();
if (stdlib && existsSync(stdlib)) sources.push({ name: 'python-stdlib', dir: stdlib });
else console.error('bench: no python3 standard library found; skipping it');
sources.push({ name: 'node-modules', dir: join(ROOT, 'node_modules') });
for (const extra of process.argv.slice(2)) sources.push({ name: `extra-${sources.length}`, dir: resolve(extra) });
for (const s of sources) s.files = sourceFiles(s.dir);

const work = mkdtempSync(join(tmpdir(), 'ca-bench-'));
const full = buildCorpus(sources, 1, join(work, 'corpus-100'));
const cacheDir = join(work, 'cache');

console.log(`# complianceagent benchmark`);
console.log('');
console.log(
  `- machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; load average at start ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`,
);
console.log(`- corpus: ${sources.map((s) => `${s.name} (${s.dir}, ${s.files.length} files)`).join('; ')}`);

const parse = phase(['parse', full]);
const cold = phase(['scan', full, '--cache-dir', cacheDir]);
const warm = phase(['scan', full, '--cache-dir', cacheDir]);
const single = phase(['scan', full, '--jobs', '1']);
console.log(`- rules: ${cold.rules.join(', ')}`);
console.log('');
console.log('| pass | files | lines | wall s | CPU s | lines/s | files/s | peak MiB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
console.log(row('parse only (1 thread)', parse));
console.log(row(`cold scan (${availableParallelism()} workers, cache written)`, cold));
console.log(row('warm re-scan (cache)', warm));
console.log(row('cold scan, --jobs 1, no cache', single));

const scaling = [
  // Same conditions as the cold scan: default workers, a fresh cache written.
  { fraction: 0.25, m: phase(['scan', buildCorpus(sources, 4, join(work, 'corpus-25')), '--cache-dir', join(work, 'cache-25')]) },
  { fraction: 0.5, m: phase(['scan', buildCorpus(sources, 2, join(work, 'corpus-50')), '--cache-dir', join(work, 'cache-50')]) },
  { fraction: 1, m: cold },
];
const xs = scaling.map((s) => Math.log(s.m.lines));
const ys = scaling.map((s) => Math.log(s.m.wall));
const mx = xs.reduce((a, b) => a + b) / xs.length;
const my = ys.reduce((a, b) => a + b) / ys.length;
const exponent = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
console.log('');
console.log('| cold scan of | lines | wall s | lines/s | peak MiB |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const s of scaling)
  console.log(
    `| ${s.fraction * 100} % | ${s.m.lines.toLocaleString('en-US')} | ${s.m.wall.toFixed(1)} | ${Math.round(s.m.lines / s.m.wall).toLocaleString('en-US')} | ${Math.round(s.m.peakMiB)} |`,
  );
console.log('');
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const perMillion = (cold.peakMiB / cold.lines) * 1e6;
console.log('Targets:');
console.log(
  `- cold scan within 2x parse-only: ${(cold.wall / parse.wall).toFixed(2)}x (${verdict(cold.wall <= 2 * parse.wall)}); on one thread: ${(single.wall / parse.wall).toFixed(2)}x`,
);
console.log(
  `- warm re-scan within 15 % of the cold scan: ${((warm.wall / cold.wall) * 100).toFixed(0)} % of its wall time (${verdict(warm.wall <= 0.15 * cold.wall)})`,
);
console.log(
  `- peak memory under 1 GiB per million lines: ${Math.round(cold.peakMiB)} MiB for ${(cold.lines / 1e6).toFixed(2)} M lines, ${Math.round(perMillion)} MiB per million (${verdict(perMillion < 1024)})`,
);
console.log(`- time over lines grows with exponent ${exponent.toFixed(2)} (1.00 = linear)`);
console.log(
  `- load average at end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`,
);
rmSync(work, { recursive: true, force: true });
