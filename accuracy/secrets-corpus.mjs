#!/usr/bin/env node
/**
 * SOC2-002 recall and precision on public secret-scanner test corpora (issue 15). Nothing fetched is committed:
 * extract the corpora to /tmp first, pinned, e.g.
 *
 *   git --git-dir=<gitleaks mirror> archive <commit> cmd/generate/config/rules | tar -x -C /tmp/corpus/gitleaks
 *   git --git-dir=<secretlint mirror> archive <commit> packages/@secretlint | tar -x -C /tmp/corpus/secretlint
 *   git --git-dir=<detect-secrets mirror> archive <commit> tests/plugins | tar -x -C /tmp/corpus/detect-secrets
 *   node accuracy/secrets-corpus.mjs --gitleaks /tmp/corpus/gitleaks --secretlint /tmp/corpus/secretlint \
 *     --detect-secrets /tmp/corpus/detect-secrets [--json out.json] [--misses]
 *
 * Samples:
 * - gitleaks: the literal strings of each rule generator's true-positive (`tps`) and false-positive (`fps`) lists in
 *   cmd/generate/config/rules/*.go (randomly generated samples, `secrets.NewSecret(…)`, and concatenations are left out),
 *   each written to its own `.txt` file: a provider format must be found in any text file, like gitleaks does.
 * - secretlint: each rule's test/snapshots/<case>/input*: `ng.*` cases carry their expected findings in output.json
 *   (one per secret, with lines); `ok.*` cases expect none. Cases with their own .secretlintrc.json (rule options)
 *   are left out: their verdict depends on an option we do not have.
 * - detect-secrets: the literal samples of each provider plugin's tests/plugins/<plugin>_test.py, read with Python's
 *   own parser (`ast.literal_eval`, nothing is run): every `pytest.mark.parametrize` element that is a string literal
 *   with a literal True/False verdict (or a bare string literal in a list of lines that must all be flagged); samples
 *   built with `.format()` or from variables are left out. Left out as plugins: the entropy and keyword heuristics
 *   (bare random strings; keyword templates per file type), public IP addresses (not a secret) and the base class.
 *   A negative of one plugin that another plugin's test lists as a positive is left out. Each sample is its own
 *   `.txt` file, as for gitleaks.
 * The samples are copied to a neutral folder (no test/fixture path segment) and scanned once with the built CLI; a
 * positive counts as detected when a SOC2-002 finding starts on one of its lines, a negative as a false alarm when
 * any SOC2-002 finding is in it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const gitleaksDir = opt('--gitleaks');
const secretlintDir = opt('--secretlint');
const detectSecretsDir = opt('--detect-secrets');
const work = resolve(opt('--work') ?? '/tmp/secrets-corpus-work');
if (!gitleaksDir && !secretlintDir && !detectSecretsDir) {
  console.error('usage: node accuracy/secrets-corpus.mjs --gitleaks DIR --secretlint DIR --detect-secrets DIR [--work DIR] [--json FILE] [--misses]');
  process.exit(2);
}

/** Go tokens: string literals (interpreted "…" or raw `…`), identifiers and punctuation; comments dropped. */
function goTokens(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (src.startsWith('//', i)) i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    else if (src.startsWith('/*', i)) i = src.indexOf('*/', i) + 2;
    else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      tokens.push({ kind: 'str', value: src.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      const raw = src.slice(i + 1, j);
      tokens.push({ kind: c === '"' ? 'str' : 'rune', value: c === '"' ? JSON.parse(`"${raw.replace(/\\'/g, "'")}"`) : raw });
      i = j + 1;
    } else if (/\s/.test(c)) i++;
    else if (/[\w.]/.test(c)) {
      const m = /^[\w.]+/.exec(src.slice(i, i + 200));
      tokens.push({ kind: 'id', value: m[0] });
      i += m[0].length;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

/**
 * The literal samples of one rule generator: list elements that are a whole string literal, and the literal secret of
 * `utils.GenerateSampleSecrets("id", "secret")`, put in one of the assignments gitleaks generates from it.
 */
function ruleSamples(tokens) {
  const out = [];
  let list = null;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'id' && (t.value === 'tps' || t.value === 'fps')) list = t.value;
    if (t.kind !== 'str' || !list) continue;
    const prev = tokens[k - 1]?.value;
    const next = tokens[k + 1]?.value;
    if (tokens[k - 3]?.value === 'utils.GenerateSampleSecrets' && prev === ',' && tokens[k + 1]?.value === ')') {
      out.push({ positive: list === 'tps', text: `${tokens[k - 2].value}_token: "${t.value}"` });
      continue;
    }
    if (tokens[k - 2]?.value === 'utils.GenerateSampleSecrets') continue;
    if (!['{', ','].includes(prev) || ![',', '}', ')'].includes(next)) continue;
    if (/%[sdvq]/.test(t.value) || t.value.trim() === '') continue;
    out.push({ positive: list === 'tps', text: t.value });
  }
  return out;
}

function gitleaksSamples(dir) {
  const rulesDir = join(dir, 'cmd/generate/config/rules');
  const samples = [];
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))) {
    const src = readFileSync(join(rulesDir, file), 'utf8');
    for (const body of src.split(/\nfunc /).slice(1)) {
      const id = /RuleID:\s*"([^"]+)"/.exec(body)?.[1];
      if (!id) continue;
      for (const s of ruleSamples(goTokens(body))) samples.push({ source: 'gitleaks', provider: id, ...s });
    }
  }
  return samples;
}

/**
 * secretlint rules that test the linter, not a secret format: the example rule ("THIS IS SECRET"), comment
 * directives, the user-defined pattern rule, internal test rules, presets, and the rules that flag a `.env` file or
 * a home-directory path by their presence.
 */
const NOT_SECRET_FORMATS = /^secretlint-rule-(?:example|filter-comments|pattern|internal-test-.*|preset-.*|no-dotenv|no-homedir)$/;

function secretlintCases(dir) {
  const pkgs = join(dir, 'packages/@secretlint');
  const cases = [];
  for (const pkg of readdirSync(pkgs).filter((p) => p.startsWith('secretlint-rule-') && !NOT_SECRET_FORMATS.test(p))) {
    const snaps = join(pkgs, pkg, 'test/snapshots');
    if (!existsSync(snaps)) continue;
    for (const name of readdirSync(snaps)) {
      const caseDir = join(snaps, name);
      const files = readdirSync(caseDir);
      const input = files.find((f) => f.startsWith('input'));
      if (!input || files.includes('.secretlintrc.json') || !/^(?:ok|ng)\./.test(name)) continue;
      const output = JSON.parse(readFileSync(join(caseDir, 'output.json'), 'utf8'));
      const expected = (output.messages ?? []).map((m) => ({ from: m.loc.start.line, to: m.loc.end.line }));
      // An `ng` case whose snapshot holds no finding depends on a file name or option the snapshot does not show.
      if (name.startsWith('ng.') && expected.length === 0) continue;
      cases.push({ provider: pkg.replace('secretlint-rule-', ''), name, input, text: readFileSync(join(caseDir, input), 'utf8'), expected });
    }
  }
  return cases;
}

/** Plugins of detect-secrets that are heuristics or not secrets (see the header). */
const DETECT_SECRETS_LEFT_OUT = new Set(['base', 'high_entropy_strings', 'keyword', 'ip_public']);
const DETECT_SECRETS_READER = `
import ast, json, sys
out = []
for path in sys.argv[1:]:
    tree = ast.parse(open(path).read())
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, 'attr', None) == 'parametrize' and len(node.args) >= 2):
            continue
        if not isinstance(node.args[1], (ast.List, ast.Tuple)):
            continue
        for el in node.args[1].elts:
            try:
                value = ast.literal_eval(el)
            except Exception:
                continue
            if isinstance(value, str):
                out.append({'file': path, 'text': value, 'positive': True})
            elif isinstance(value, tuple) and value and isinstance(value[0], str):
                verdicts = [v for v in value[1:] if isinstance(v, bool)]
                if len(verdicts) == 1:
                    out.append({'file': path, 'text': value[0], 'positive': verdicts[0]})
print(json.dumps(out))
`;

function detectSecretsSamples(dir) {
  const testsDir = join(dir, 'tests/plugins');
  const files = readdirSync(testsDir)
    .filter((f) => f.endsWith('_test.py') && !DETECT_SECRETS_LEFT_OUT.has(f.replace(/_test\.py$/, '')))
    .sort()
    .map((f) => join(testsDir, f));
  const read = JSON.parse(execFileSync('python3', ['-c', DETECT_SECRETS_READER, ...files], { encoding: 'utf8' }));
  // A plugin's negative that another plugin's test calls a secret (the GitHub token in the GitLab test) is no
  // negative for a scanner that reports every provider: left out.
  const positives = new Set(read.filter((s) => s.positive).map((s) => s.text));
  return read
    .filter((s) => s.text.trim() !== '' && (s.positive || !positives.has(s.text)))
    .map((s) => ({
      source: 'detect-secrets',
      provider: s.file
        .split('/')
        .at(-1)
        .replace(/_test\.py$/, ''),
      positive: s.positive,
      text: s.text,
    }));
}

const slug = (s) => s.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
rmSync(work, { recursive: true, force: true });
const items = []; // { source, provider, file, positive, expected?: [{from,to}] }
if (gitleaksDir) {
  const counters = new Map();
  for (const s of gitleaksSamples(gitleaksDir)) {
    const key = `${s.provider}:${s.positive}`;
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    const file = `gitleaks/${slug(s.provider)}/${s.positive ? 'pos' : 'neg'}-${String(n).padStart(3, '0')}.txt`;
    mkdirSync(dirname(join(work, file)), { recursive: true });
    writeFileSync(join(work, file), `${s.text}\n`);
    items.push({ source: 'gitleaks', provider: s.provider, file, positive: s.positive });
  }
}
if (detectSecretsDir) {
  const counters = new Map();
  for (const s of detectSecretsSamples(detectSecretsDir)) {
    const key = `${s.provider}:${s.positive}`;
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    const file = `detect-secrets/${slug(s.provider)}/${s.positive ? 'pos' : 'neg'}-${String(n).padStart(3, '0')}.txt`;
    mkdirSync(dirname(join(work, file)), { recursive: true });
    writeFileSync(join(work, file), `${s.text}\n`);
    items.push({ source: 'detect-secrets', provider: s.provider, file, positive: s.positive });
  }
}
if (secretlintDir) {
  for (const c of secretlintCases(secretlintDir)) {
    const file = `secretlint/${slug(c.provider)}/${slug(c.name)}/${c.input}`;
    mkdirSync(dirname(join(work, file)), { recursive: true });
    writeFileSync(join(work, file), c.text);
    if (c.expected.length === 0) items.push({ source: 'secretlint', provider: c.provider, file, positive: false });
    for (const e of c.expected) items.push({ source: 'secretlint', provider: c.provider, file, positive: true, ...e });
  }
}

const reportFile = join(work, '..', 'secrets-corpus-report.json');
try {
  execFileSync(
    process.execPath,
    [join(root, 'bin/complianceagent.js'), 'scan', work, '--format', 'json', '-o', reportFile, '--fail-on', 'none', '--no-cache'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
} catch (e) {
  if (!existsSync(reportFile)) throw e;
}
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const findings = new Map();
for (const f of report.findings ?? []) {
  if (f.ruleId !== 'SOC2-002') continue;
  const list = findings.get(f.location.path) ?? [];
  list.push(f);
  findings.set(f.location.path, list);
}

const patternsModule = await import(pathToFileURL(join(root, 'dist/src/model/secret-patterns.js')).href);
// Before the placeholders were reported low (8ae8cee^), the one filter dropped them all: isExampleToken.
const isPlaceholderShaped = patternsModule.isPlaceholderShaped ?? patternsModule.isExampleToken;
/**
 * A sample whose line holds a placeholder-shaped token: one SOC2-002 drops (`AKIAIOSFODNN7EXAMPLE`, `<…>`, `...`) or
 * reports low as a documentation placeholder in the provider's format (`xxxx…`, `AAAAAAAA…`, `1234567890`).
 */
function placeholderShaped(it) {
  const text = readFileSync(join(work, it.file), 'latin1');
  const lines = it.from === undefined ? text.split('\n') : text.split('\n').slice(it.from - 1, it.to);
  return lines.some((l) => (l.match(/[\w.+/=~-]{8,}/g) ?? []).some((t) => isPlaceholderShaped(t)));
}

const rows = new Map();
const misses = [];
for (const it of items) {
  const key = `${it.source}\t${it.provider}`;
  const row = rows.get(key) ?? {
    source: it.source,
    provider: it.provider,
    positives: 0,
    detected: 0,
    placeholders: 0,
    placeholdersDetected: 0,
    negatives: 0,
    falseAlarms: 0,
    placeholderAlarms: 0,
  };
  rows.set(key, row);
  const inFile = findings.get(it.file) ?? [];
  if (it.positive) {
    row.positives++;
    const hit = it.from === undefined ? inFile.length > 0 : inFile.some((f) => f.location.startLine <= it.to && f.location.endLine >= it.from);
    const placeholder = placeholderShaped(it);
    if (placeholder) row.placeholders++;
    if (hit) row.detected++;
    if (hit && placeholder) row.placeholdersDetected++;
    if (!hit) misses.push({ kind: placeholder ? 'missed (placeholder)' : 'missed', ...it });
  } else {
    row.negatives++;
    if (inFile.length > 0) {
      row.falseAlarms++;
      // Reported low as a documentation placeholder in the provider's format (gitleaks lists `ghp_xxxx…` as a negative,
      // detect-secrets and secretlint list `AKCxxxx…`, `hf_xxxx…` as positives): counted apart.
      if (inFile.every((f) => f.properties?.placeholder)) row.placeholderAlarms++;
      misses.push({ kind: 'false alarm', ...it, found: inFile.map((f) => f.properties?.secretKind ?? f.message) });
    }
  }
}

const table = [...rows.values()].sort((a, b) => a.source.localeCompare(b.source) || a.provider.localeCompare(b.provider));
const total = (src) => {
  const rs = table.filter((r) => !src || r.source === src);
  const t = rs.reduce(
    (a, r) => ({
      p: a.p + r.positives,
      d: a.d + r.detected,
      ph: a.ph + r.placeholders,
      phd: a.phd + r.placeholdersDetected,
      n: a.n + r.negatives,
      f: a.f + r.falseAlarms,
      fph: a.fph + r.placeholderAlarms,
    }),
    { p: 0, d: 0, ph: 0, phd: 0, n: 0, f: 0, fph: 0 },
  );
  const real = t.p - t.ph;
  return {
    ...t,
    recall: t.p ? t.d / t.p : null,
    // Found among the samples that are not placeholder-shaped, over their number.
    recallWithoutPlaceholders: real ? (t.d - t.phd) / real : null,
    precision: t.d + t.f ? t.d / (t.d + t.f) : null,
    // The false alarms that are only low placeholder findings left out.
    precisionWithoutPlaceholderAlarms: t.d + t.f - t.fph ? t.d / (t.d + t.f - t.fph) : null,
  };
};
const fmt = (x) => (x === null ? 'n/a' : x.toFixed(3));
console.log('| source | provider | positives (of them placeholder-shaped) | detected (of them placeholder-shaped) | missed | negatives | false alarms |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const r of table) {
  const missed = r.positives - r.detected;
  console.log(
    `| ${r.source} | ${r.provider} | ${r.positives}${r.placeholders ? ` (${r.placeholders})` : ''} | ${r.detected}${r.placeholdersDetected ? ` (${r.placeholdersDetected})` : ''} | ${missed} | ${r.negatives} | ${r.falseAlarms} |`,
  );
}
for (const src of ['gitleaks', 'secretlint', 'detect-secrets', undefined]) {
  const t = total(src);
  console.log(
    `${src ?? 'all'}: ${t.d}/${t.p} detected (recall ${fmt(t.recall)}; ${t.d - t.phd}/${t.p - t.ph} = ${fmt(t.recallWithoutPlaceholders)} without the ${t.ph} placeholder-shaped samples, ${t.phd} of which found), ` +
      `${t.f}/${t.n} negatives flagged (precision ${fmt(t.precision)}; ${fmt(t.precisionWithoutPlaceholderAlarms)} without the ${t.fph} flagged only by a low placeholder finding)`,
  );
}
if (args.includes('--misses'))
  for (const m of misses) console.log(`${m.kind}\t${m.file}${m.from ? `:${m.from}` : ''}${m.found ? `\t${m.found.join(',')}` : ''}`);
const jsonOut = opt('--json');
if (jsonOut)
  writeFileSync(
    jsonOut,
    `${JSON.stringify({ table, totals: { gitleaks: total('gitleaks'), secretlint: total('secretlint'), 'detect-secrets': total('detect-secrets'), all: total() }, misses }, null, 2)}\n`,
  );
