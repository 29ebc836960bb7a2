// One measured phase in its own process, so peak memory (maxRSS, all threads) belongs to that phase alone.
// Usage: node bench/phase.mjs <parse|scan> <root> [--jobs N] [--cache-dir DIR]
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const dist = new URL('../dist/', import.meta.url);
const { scan } = await import(new URL('src/engine/scan.js', dist));
const { findFiles } = await import(new URL('src/discovery/find-files.js', dist));
const { decodeSource } = await import(new URL('src/discovery/text.js', dist));
const decodeUtf8 = (bytes) => decodeSource(bytes)?.text ?? null;
const { parseJavaScript } = await import(new URL('src/languages/javascript/parse.js', dist));
const { parsePython } = await import(new URL('src/languages/python/parse.js', dist));
const { extractConfig } = await import(new URL('src/languages/config/extract.js', dist));
const { RULES } = await import(new URL('rules/index.js', dist));

const { positionals, values } = parseArgs({ allowPositionals: true, options: { jobs: { type: 'string' }, 'cache-dir': { type: 'string' } } });
const [phase, root] = positionals;

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let files = 0;
let lines = 0;
let findings = 0;
let errors = 0;
if (phase === 'parse') {
  // Parse only: discovery, read, decode and one parse per file on this thread; no extraction, no rules.
  const discovery = await findFiles(root, {});
  for (const file of discovery.files) {
    const text = decodeUtf8(await readFile(file.absPath));
    if (text === null) continue;
    try {
      if (file.language === 'python') (await parsePython(text)).tree.delete();
      else if (file.language === 'config') extractConfig(file.path, text);
      else parseJavaScript(file.path, text);
    } catch {
      errors++;
    }
    files++;
    lines += text.split('\n').length;
  }
} else {
  const options = { rules: RULES };
  if (values.jobs) options.jobs = Number(values.jobs);
  if (values['cache-dir']) options.cacheDir = values['cache-dir'];
  const result = await scan(root, options);
  files = Object.values(result.coverage.filesByLanguage).reduce((a, b) => a + b, 0);
  lines = result.coverage.linesScanned;
  findings = result.findings.length;
  errors = result.errors.length;
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ phase, files, lines, findings, errors, wall, cpu: (cpu.user + cpu.system) / 1e6, peakMiB: process.resourceUsage().maxRSS / 1024, rules: RULES.map((r) => r.id) })}\n`,
);
