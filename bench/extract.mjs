// Extraction alone, on this thread (no workers, no rules): where a cold scan's worker time goes, per language.
// Usage: node bench/extract.mjs <root> [--digest FILE]   (--digest writes one hash of each file's facts, to compare two builds)
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const dist = new URL('../dist/', import.meta.url);
const { findFiles } = await import(new URL('src/discovery/find-files.js', dist));
const { decodeSource } = await import(new URL('src/discovery/text.js', dist));
const { extractFacts } = await import(new URL('src/engine/extract.js', dist));
const { LANGUAGE_PLUGINS } = await import(new URL('src/languages/index.js', dist));

const { positionals, values } = parseArgs({ allowPositionals: true, options: { digest: { type: 'string' } } });
const discovery = await findFiles(positionals[0], {});
const files = [];
for (const file of discovery.files) {
  const text = decodeSource(await readFile(file.absPath))?.text ?? null;
  if (text !== null) files.push({ path: file.path, language: file.language, text });
}
await Promise.all(LANGUAGE_PLUGINS.map((plugin) => plugin.load()));
const cpu = {};
const digests = [];
const total0 = process.cpuUsage();
for (const file of files) {
  const c0 = process.cpuUsage();
  const result = await extractFacts(file);
  const c = process.cpuUsage(c0);
  cpu[file.language] = (cpu[file.language] ?? 0) + (c.user + c.system) / 1e6;
  if (values.digest) digests.push(`${file.path} ${createHash('sha1').update(JSON.stringify(result)).digest('hex')}`);
}
const total = process.cpuUsage(total0);
if (values.digest) await writeFile(values.digest, `${digests.join('\n')}\n`);
const round = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 100) / 100]));
process.stdout.write(`${JSON.stringify({ files: files.length, cpu: round({ ...cpu, total: (total.user + total.system) / 1e6 }) })}\n`);
