import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { emptyFacts, type FileFacts, type Range, type StringBinding } from '../../model/facts.js';
import { countLines, lineStarts, linesWithOffsets, positionAt } from '../../util/lines.js';
import { parsePrismaModels } from '../prisma/parse.js';
import { isTsconfigPath, readTsconfig } from '../../flow/tsconfig.js';

/**
 * The text pass for configuration files that carry secrets. It reads key/value pairs into the same
 * `StringBinding` facts the code extractors produce (kind `config-entry`), so SOC2-002 treats
 * `DB_PASSWORD=…` in `.env` like `const DB_PASSWORD = '…'` in code.
 */

const MIN_STRING_LENGTH = 8;

export type ConfigFormat = 'yaml' | 'json' | 'dotenv' | 'ini' | 'toml' | 'dockerfile' | 'netrc';

export function configFormat(path: string): ConfigFormat {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) return 'dockerfile';
  if (base.endsWith('.yml') || base.endsWith('.yaml')) return 'yaml';
  if (base.endsWith('.json')) return 'json';
  if (base.endsWith('.toml')) return 'toml';
  if (base === '.netrc' || base === '_netrc') return 'netrc';
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env')) return 'dotenv';
  return 'ini'; // .ini .cfg .conf .properties .npmrc .pypirc
}

export interface ConfigExtraction {
  facts: FileFacts;
  syntaxErrors: Array<{ message: string; line: number; column: number }>;
}

class Collector {
  readonly bindings: StringBinding[] = [];
  readonly strings: FileFacts['strings'] = [];
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }

  range(start: number, end: number): Range {
    return { start: positionAt(this.starts, start), end: positionAt(this.starts, end) };
  }

  entry(name: string, path: string, value: string, start: number, end: number): void {
    const range = this.range(start, end);
    this.bindings.push({ kind: 'config-entry', name, path, value, range });
    this.string(value, start, end);
  }

  string(value: string, start: number, end: number): void {
    if (value.length >= MIN_STRING_LENGTH) this.strings.push({ value, range: this.range(start, end) });
  }
}

/** Removes matching quotes around a value; returns the offset shift of the value's content. */
function unquote(raw: string): { value: string; shift: number } {
  const trimmed = raw.trim();
  const lead = raw.length - raw.trimStart().length;
  if (trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'" || trimmed[0] === '`') && trimmed.endsWith(trimmed[0]!)) {
    return { value: trimmed.slice(1, -1), shift: lead + 1 };
  }
  return { value: trimmed, shift: lead };
}

const EQUALS_ENTRY = /^(\s*(?:export\s+)?)([^=\s]+?)\s*(=)\s*(.*)$/;
/** A TOML key: bare (`a-b.c_d`) or quoted whole, dotted parts included (`"a b".c`). */
const TOML_KEY = /^(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\.(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*$/;
/** Java-properties / YAML-like `key: value`, only where there is no `=` on the line. */
const COLON_ENTRY = /^(\s*)([A-Za-z0-9_.\-]+)\s*(:)\s+(.*)$/;

function extractLines(c: Collector, format: 'dotenv' | 'ini' | 'toml'): void {
  let section = '';
  for (const { text: content, start: lineStart } of linesWithOffsets(c.text)) {
    const trimmed = content.trim();
    if (trimmed === '' || /^(#|;|!)/.test(trimmed)) continue;
    // Each quantifier stops where the next part must start, so a line of 50,000 `[` fails in linear time.
    const header = /^\[+(?!\[)([^\]]*)\]+$/.exec(trimmed);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const entry = EQUALS_ENTRY.exec(content) ?? (format === 'toml' ? null : COLON_ENTRY.exec(content));
    // A TOML key is bare or quoted whole: `"dj-database-url>=3.1.2,<4",` in an array is a string, not `key = value`.
    const m = entry && format === 'toml' && !TOML_KEY.test(entry[2]!) ? null : entry;
    if (!m) {
      c.string(trimmed, lineStart + (content.length - content.trimStart().length), lineStart + content.trimEnd().length);
      continue;
    }
    const key = m[2]!;
    let rawValue = m[4]!;
    // An unquoted value ends at an inline comment (` #` in .env and TOML, ` ;` in INI).
    const quoted = /^\s*(["'`])/.exec(rawValue);
    if (!quoted)
      rawValue = rawValue.replace(/(?<!\s)\s+[#;].*$/, ''); // from the start of a blank run only: linear
    else {
      const close = rawValue.indexOf(quoted[1]!, quoted[0].length);
      if (close !== -1) rawValue = rawValue.slice(0, close + 1);
    }
    const rawStart = content.length - m[4]!.length; // m[4] runs to the end of the line
    const { value, shift } = unquote(rawValue);
    const start = lineStart + rawStart + shift;
    // `//registry.npmjs.org/:_authToken` → `_authToken`
    const name = key.includes(':') ? key.slice(key.lastIndexOf(':') + 1) : key;
    const path = section ? `${section}.${name}` : name;
    c.entry(name, path, value, start, start + value.length);
  }
}

function extractNetrc(c: Collector): void {
  const re = /\b(password|passwd|login|account)\s+(\S+)/g;
  for (const m of c.text.matchAll(re)) {
    if (m[1] === 'login') continue;
    const start = m.index + m[0].length - m[2]!.length;
    c.entry('password', m[1]!, m[2]!, start, start + m[2]!.length);
  }
}

function extractDockerfile(c: Collector): void {
  for (const { text: line, start: lineStart } of linesWithOffsets(c.text)) {
    const m = /^(\s*(ENV|ARG)\s+)(.*)$/i.exec(line);
    if (!m) {
      const trimmed = line.trim();
      if (trimmed && !trimmed.startsWith('#')) c.string(trimmed, lineStart + line.indexOf(trimmed), lineStart + line.indexOf(trimmed) + trimmed.length);
      continue;
    }
    const rest = m[3]!;
    const restStart = lineStart + m[1]!.length;
    const pairs = [...rest.matchAll(/(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)];
    if (pairs.length > 0) {
      for (const p of pairs) {
        const { value, shift } = unquote(p[2]!);
        const start = restStart + p.index + p[1]!.length + 1 + shift;
        c.entry(p[1]!, p[1]!, value, start, start + value.length);
      }
    } else {
      const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$/.exec(rest);
      if (legacy) {
        const { value, shift } = unquote(legacy[2]!);
        const start = restStart + rest.indexOf(legacy[2]!, legacy[1]!.length) + shift;
        c.entry(legacy[1]!, legacy[1]!, value, start, start + value.length);
      }
    }
  }
}

/**
 * The JSON strings of `text` in order, as [opening quote, closing quote] offsets. A string never spans a line
 * break (lone CRs included, so a CR-only file reads line by line too). One pass: the former
 * `"((?:[^"\\\r\n]|\\.)*)"` expressions retried from every quote of an unterminated `"\"\"\"…`, quadratic.
 */
function jsonStrings(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const isBreak = (ch: string | undefined) => ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';
  let open = text.indexOf('"');
  while (open !== -1) {
    let i = open + 1;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '"' || ch === '\n' || ch === '\r') break;
      if (ch === '\\') {
        if (i + 1 >= text.length || isBreak(text[i + 1])) break;
        i++;
      }
    }
    if (text[i] === '"') {
      out.push([open, i]);
      open = text.indexOf('"', i + 1);
    } else {
      open = text.indexOf('"', i); // unterminated: no other string starts before the line break
    }
  }
  return out;
}

/** JSON (and JSONC: tsconfig, VS Code settings) read token-wise, so comments and trailing commas never fail it. */
function extractJson(c: Collector): void {
  const text = c.text;
  const strings = jsonStrings(text);
  const claimed = new Set<number>();
  for (let k = 0; k + 1 < strings.length; k++) {
    const [keyOpen, keyClose] = strings[k]!;
    const [valueOpen, valueClose] = strings[k + 1]!;
    // `"key"\s*:\s*"value"`
    const between = text.slice(keyClose + 1, valueOpen);
    if (!/^\s*:\s*$/.test(between)) continue;
    const key = text.slice(keyOpen + 1, keyClose);
    const raw = text.slice(valueOpen + 1, valueClose);
    let value = raw;
    try {
      value = JSON.parse(`"${raw}"`) as string;
    } catch {
      /* keep the raw text */
    }
    claimed.add(valueOpen);
    c.entry(key, key, value, valueOpen + 1, valueClose);
    k++; // a value is never the key of the next entry
  }
  for (const [open, close] of strings) {
    if (claimed.has(open)) continue;
    if (close - open - 1 >= MIN_STRING_LENGTH) c.string(text.slice(open + 1, close), open + 1, close);
  }
}

function extractYaml(c: Collector, errors: ConfigExtraction['syntaxErrors']): void {
  // YAML counts a lone CR as a line break; the parser does not. LF has the same length, so ranges stay valid.
  const source = c.text.includes('\r') ? c.text.replace(/\r(?!\n)/g, '\n') : c.text;
  const docs = parseAllDocuments(source, { strict: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const visit = (node: YamlNode | null | undefined, keys: string[]): void => {
    if (!node) return;
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : null;
        const value = item.value as YamlNode | null;
        if (key !== null && isScalar(value) && typeof value.value === 'string' && value.range) {
          const [start, end] = value.range;
          const { shift } = unquote(c.text.slice(start, end));
          c.entry(key, [...keys, key].join('.'), value.value, start + shift, start + shift + Math.min(value.value.length, end - start - shift));
        } else {
          visit(value, key === null ? keys : [...keys, key]);
        }
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const n = item as YamlNode;
        // docker-compose `environment: ["DB_PASSWORD=…"]`
        if (isScalar(n) && typeof n.value === 'string' && n.range) {
          const eq = /^([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/s.exec(n.value);
          const { shift } = unquote(c.text.slice(n.range[0], n.range[1]));
          const start = n.range[0] + shift;
          if (eq) c.entry(eq[1]!, [...keys, eq[1]!].join('.'), eq[2]!, start + eq[1]!.length + 1, start + n.value.length);
          else c.string(n.value, start, start + n.value.length);
        } else {
          visit(n, keys);
        }
      }
    } else if (isScalar(node) && typeof node.value === 'string' && node.range) {
      c.string(node.value, node.range[0], node.range[1]);
    }
  };
  for (const doc of list) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      errors.push({ message: e.message.split('\n')[0]!, line: pos?.line ?? 1, column: pos?.col ?? 1 });
    }
    visit(doc.contents as YamlNode | null, []);
  }
}

export function extractConfig(path: string, text: string): ConfigExtraction {
  const c = new Collector(text);
  const syntaxErrors: ConfigExtraction['syntaxErrors'] = [];
  const format = configFormat(path);
  if (format === 'yaml') extractYaml(c, syntaxErrors);
  else if (format === 'json') extractJson(c);
  else if (format === 'dockerfile') extractDockerfile(c);
  else if (format === 'netrc') extractNetrc(c);
  else extractLines(c, format);
  const facts = emptyFacts(path, 'config', countLines(text));
  facts.bindings = c.bindings;
  facts.strings = c.strings;
  if (path.toLowerCase().endsWith('.prisma')) facts.dataModels = parsePrismaModels(text);
  // Module aliases (`@server/*`) for the one module resolver.
  if (format === 'json' && isTsconfigPath(path)) {
    const tsconfig = readTsconfig(text);
    if (tsconfig) facts.tsconfig = tsconfig;
  }
  return { facts, syntaxErrors };
}
