// node accuracy/derive-juice-shop.mjs [--apps DIR]
//
// Writes the expected entries of accuracy/labels/juice-shop.json from Juice Shop's own ground truth: every
// `vuln-code-snippet vuln-line <challenge>` comment in its sources (the lines its coding challenges,
// data/static/codefixes/, ask to fix), for the challenges that accuracy/juice-shop-mapping.json maps to a rule.
// Labels already in the file are kept. Run it again after moving the pin to a new Juice Shop commit.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ACCURACY, DEFAULT_APPS, fail as failWith, readManifest } from './common.mjs';

const fail = (m) => failWith('derive-juice-shop', m);
const { values: opts } = parseArgs({ options: { apps: { type: 'string', default: process.env.CA_ACCURACY_APPS ?? DEFAULT_APPS } }, strict: true });
const app = readManifest().find((a) => a.name === 'juice-shop');
if (!app) fail('no juice-shop in accuracy/manifest.json');
const root = join(opts.apps, 'juice-shop');
const mapping = JSON.parse(readFileSync(join(ACCURACY, 'juice-shop-mapping.json'), 'utf8')).challenges;
const WINDOW = 3;
const SKIP = new Set(['node_modules', 'test', 'codefixes', '.git', 'dist', 'build']);

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name) || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.(ts|js)$/.test(e.name)) yield p;
  }
}

const marks = []; // { path, challenge, kind: start|end|vuln, line }
for (const file of sources(root)) {
  const path = relative(root, file).split('\\').join('/');
  if (path === 'lib/codingChallenges.ts') continue; // the parser of these comments, not a snippet
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /vuln-code-snippet (start|end|vuln-line) ([A-Za-z0-9 ]+)$/.exec(text.trimEnd());
      if (!m) return;
      for (const challenge of m[2].trim().split(/\s+/)) marks.push({ path, challenge, kind: m[1], line: i + 1 });
    });
}

const unknown = [...new Set(marks.map((m) => m.challenge))].filter((c) => !mapping[c]);
if (unknown.length > 0) fail(`challenges not in juice-shop-mapping.json: ${unknown.join(', ')} (map each to rules, or to [] with a reason)`);

const byKey = new Map();
for (const [challenge, spec] of Object.entries(mapping)) {
  const vulns = marks.filter((m) => m.challenge === challenge && m.kind === 'vuln-line');
  for (const path of [...new Set(vulns.map((v) => v.path))]) {
    const lines = vulns.filter((v) => v.path === path).map((v) => v.line);
    let range = [Math.max(1, Math.min(...lines) - WINDOW), Math.max(...lines) + WINDOW];
    if (spec.range === 'region') {
      const start = marks.find((m) => m.challenge === challenge && m.path === path && m.kind === 'start');
      const end = marks.find((m) => m.challenge === challenge && m.path === path && m.kind === 'end');
      if (start && end) range = [start.line, end.line];
    }
    const also = (spec.also ?? []).map(({ path: at, match }) => {
      const line =
        readFileSync(join(root, at), 'utf8')
          .split('\n')
          .findIndex((text) => text.includes(match)) + 1;
      if (line === 0) fail(`${challenge}: no line of ${at} contains ${JSON.stringify(match)}`);
      return { path: at, lines: [line, line] };
    });
    for (const rule of spec.rules) {
      const key = `${rule} ${path} ${range.join('-')}`;
      const entry = byKey.get(key) ?? { rule, path, lines: range, ...(also.length ? { also } : {}), source: [], note: spec.why };
      entry.source.push(`codefixes/${challenge}`);
      byKey.set(key, entry);
    }
  }
}
const expected = [...byKey.values()]
  .map((e) => ({ ...e, source: e.source.join(', ') }))
  .sort((a, b) => a.path.localeCompare(b.path) || a.lines[0] - b.lines[0] || a.rule.localeCompare(b.rule));

const file = join(ACCURACY, 'labels', 'juice-shop.json');
let data = { app: 'juice-shop', commit: app.commit, labels: [], expected: [] };
try {
  data = { ...data, ...JSON.parse(readFileSync(file, 'utf8')) };
} catch {}
data.expected = expected;
writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
console.error(`derive-juice-shop: ${expected.length} expected entries written to ${relative(process.cwd(), file)}`);
