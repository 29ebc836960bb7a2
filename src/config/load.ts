import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { RULE_CONTROLS } from '../model/control-catalog.js';
import { CONFIG_KEYS, CONFIG_SCHEMA, RULE_SETTING_KEYS } from './schema.js';
import { UsageError } from '../errors.js';
import { MAX_CONFIG_ALIASES, describeYamlError } from '../util/yaml.js';

export { MAX_CONFIG_ALIASES };
import { didYouMean } from './suggest.js';
import { SEVERITIES, type Severity } from '../types.js';
import type { Config, FailOn, RuleSetting } from '../types.js';

export const CONFIG_FILE = '.complianceagent.yml';
/** A configuration is a few lines; anything bigger is not one (and is not read into memory). */
export const MAX_CONFIG_BYTES = 1_048_576;

export type { Config, FailOn } from '../types.js';

type RawRule = 'off' | 'on' | boolean | { enabled?: boolean; severity?: Severity; options?: Record<string, unknown> };
interface RawConfig {
  failOn?: FailOn;
  failOnTestFindings?: boolean;
  include?: string[];
  exclude?: string[];
  maxFileSize?: number;
  respectGitignore?: boolean;
  rules?: Record<string, RawRule>;
}

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile<RawConfig>(CONFIG_SCHEMA);

const RULE_IDS = Object.keys(RULE_CONTROLS);
const FAIL_ON_VALUES: readonly string[] = [...SEVERITIES, 'none'];
const HINT = 'see the Configuration section of the README';

/**
 * Keys are echoed in messages only when they look like a setting name. The file may not be a configuration at all
 * (`-c /etc/shadow`): its content must never be printed, so values are never echoed and keys only when the file
 * has a known key or the key is a near miss of one.
 */
const NAMEABLE = /^[A-Za-z0-9_.-]{1,40}$/;

/** YAML parse errors described by code: yaml's own messages can quote the offending text. */

interface Problem {
  line?: number;
  text: string;
}

function listOf(values: readonly unknown[]): string {
  return values.map((v) => String(v)).join(', ');
}

function suggestion(value: unknown, candidates: readonly string[]): string {
  const near = typeof value === 'string' ? didYouMean(value, candidates) : undefined;
  return near ? ` (did you mean '${near}'?)` : '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Checks the parsed file key by key and returns every problem, each with its line where the YAML says. */
class Checker {
  readonly problems: Problem[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** 1-based line of a key (or of its value) at `path`, e.g. ['rules', 'SOC2-002', 'severity']. */
  private lineOf(path: readonly (string | number)[], part: 'key' | 'value'): number | undefined {
    let node: unknown = this.doc.contents;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      let found: unknown;
      if (typeof segment === 'number') {
        if (!isSeq(node)) return undefined;
        found = node.items[segment];
        if (i === path.length - 1) return this.lineAt(found);
      } else {
        if (!isMap(node)) return undefined;
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
        if (!pair) return undefined;
        if (i === path.length - 1) return this.lineAt(part === 'key' ? pair.key : (pair.value ?? pair.key));
        found = pair.value;
      }
      node = found;
    }
    return this.lineAt(node);
  }

  private lineAt(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? this.lines.linePos(range[0]).line : undefined;
  }

  private add(path: readonly (string | number)[], part: 'key' | 'value', text: string): void {
    const line = this.lineOf(path, part);
    this.problems.push(line === undefined ? { text } : { line, text });
  }

  private unknownKey(path: readonly string[], key: string, candidates: readonly string[], nameable: boolean, what = 'key'): void {
    const near = didYouMean(key, candidates);
    const named = NAMEABLE.test(key) && (nameable || near !== undefined);
    const where = path.length > 0 ? ` at '${path.join('.')}'` : '';
    this.add([...path, key], 'key', `${named ? `unknown ${what} '${key}'` : `an unknown ${what}`}${where}${near ? ` (did you mean '${near}'?)` : ''}`);
  }

  check(raw: unknown): void {
    if (raw === null || raw === undefined) return;
    if (!isPlainObject(raw)) {
      this.problems.push({ text: `not a complianceagent configuration: expected a mapping of settings (${listOf(CONFIG_KEYS)})` });
      return;
    }
    const keys = Object.keys(raw);
    const known = new Set<string>(CONFIG_KEYS);
    const looksLikeConfig = keys.some((k) => known.has(k) || didYouMean(k, CONFIG_KEYS) !== undefined);
    if (!looksLikeConfig && keys.length > 0) {
      const which = keys.length === 1 ? 'its one top-level key is not' : `none of its ${keys.length} top-level keys is`;
      this.problems.push({ text: `not a complianceagent configuration: ${which} a setting (${listOf(CONFIG_KEYS)})` });
      return;
    }
    for (const key of keys) {
      const value = raw[key];
      switch (key) {
        case 'failOn':
          if (typeof value !== 'string' || !FAIL_ON_VALUES.includes(value))
            this.add([key], 'value', `'failOn' must be one of ${listOf(FAIL_ON_VALUES)}${suggestion(value, FAIL_ON_VALUES)}`);
          break;
        case 'failOnTestFindings':
        case 'respectGitignore':
          if (typeof value !== 'boolean') this.add([key], 'value', `'${key}' must be true or false`);
          break;
        case 'include':
        case 'exclude':
          if (!Array.isArray(value))
            this.add([key], 'value', `'${key}' must be a list of globs, e.g. ${key}: ['${key === 'include' ? 'src/**' : '**/legacy/**'}']`);
          else
            value.forEach((item, i) => {
              if (typeof item !== 'string' || item === '') this.add([key, i], 'value', `'${key}[${i}]' must be a glob (non-empty text)`);
            });
          break;
        case 'maxFileSize':
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
            this.add([key], 'value', `'maxFileSize' must be a whole number of bytes of at least 1, e.g. 2000000`);
          break;
        case 'rules':
          this.checkRules(value);
          break;
        default:
          this.unknownKey([], key, CONFIG_KEYS, true);
      }
    }
  }

  private checkRules(rules: unknown): void {
    if (rules === null || rules === undefined) return;
    if (!isPlainObject(rules)) {
      this.add(['rules'], 'value', `'rules' must be a mapping of rule ids (${RULE_IDS[0]} … ${RULE_IDS[RULE_IDS.length - 1]}) to settings`);
      return;
    }
    for (const [id, value] of Object.entries(rules)) {
      if (!RULE_IDS.includes(id)) {
        this.unknownKey(['rules'], id, RULE_IDS, true, 'rule id');
        continue;
      }
      const at = `rules.${id}`;
      if (value === 'off' || value === 'on' || value === true || value === false) continue;
      if (!isPlainObject(value)) {
        this.add(
          ['rules', id],
          'value',
          `'${at}' must be off, on, true, false or a mapping with ${listOf(RULE_SETTING_KEYS)}${suggestion(value, ['off', 'on'])}`,
        );
        continue;
      }
      for (const [key, setting] of Object.entries(value)) {
        if (key === 'enabled') {
          if (typeof setting !== 'boolean') this.add(['rules', id, key], 'value', `'${at}.enabled' must be true or false`);
        } else if (key === 'severity') {
          if (typeof setting !== 'string' || !(SEVERITIES as readonly string[]).includes(setting)) {
            this.add(['rules', id, key], 'value', `'${at}.severity' must be one of ${listOf(SEVERITIES)}${suggestion(setting, SEVERITIES)}`);
          }
        } else if (key === 'options') {
          if (!isPlainObject(setting)) this.add(['rules', id, key], 'value', `'${at}.options' must be a mapping of option names to values`);
        } else {
          this.unknownKey(['rules', id], key, RULE_SETTING_KEYS, true);
        }
      }
    }
  }
}

function fail(source: string, problems: readonly Problem[], hint: string): never {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const lines = [...new Set(sorted.map((p) => `${source}${p.line !== undefined ? `:${p.line}` : ''}: ${p.text}`))];
  if (lines.length === 1) throw new UsageError(lines[0]!, hint);
  throw new UsageError(`${source}: ${lines.length} problems`, hint, lines);
}

export function parseConfig(text: string, source: string): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e): Problem => {
      const line = e.linePos?.[0]?.line;
      return line === undefined ? { text: describeYamlError(e.code) } : { line, text: describeYamlError(e.code) };
    });
    fail(source, problems, 'fix the YAML syntax');
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch {
    // yaml refuses to expand more aliases than allowed (a "billion laughs" bomb) and throws.
    fail(
      source,
      [{ text: `invalid YAML: too many aliases (more than ${MAX_CONFIG_ALIASES} expansions; a YAML alias bomb?)` }],
      'a configuration needs no aliases: write the values out',
    );
  }
  const checker = new Checker(doc, lines);
  checker.check(raw);
  if (checker.problems.length > 0) fail(source, checker.problems, HINT);
  if (!validate(raw ?? {})) {
    // The schema is the final word; the checker above should have said more already.
    const e = validate.errors?.[0];
    const at = e?.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'config';
    fail(source, [{ text: `'${at}' ${e?.message ?? 'is invalid'}` }], HINT);
  }
  const valid = (raw ?? {}) as RawConfig;
  const config: Config = { disabledRules: [], settings: {}, source };
  if (valid.failOn !== undefined) config.failOn = valid.failOn;
  if (valid.failOnTestFindings !== undefined) config.failOnTestFindings = valid.failOnTestFindings;
  if (valid.include) config.include = valid.include;
  if (valid.exclude) config.exclude = valid.exclude;
  if (valid.maxFileSize !== undefined) config.maxFileSize = valid.maxFileSize;
  if (valid.respectGitignore !== undefined) config.respectGitignore = valid.respectGitignore;
  for (const [id, rule] of Object.entries(valid.rules ?? {})) {
    if (rule === 'off' || rule === false) config.disabledRules.push(id);
    else if (typeof rule === 'object') {
      if (rule.enabled === false) config.disabledRules.push(id);
      const setting: RuleSetting = {};
      if (rule.severity) setting.severity = rule.severity;
      if (rule.options) setting.options = rule.options;
      config.settings[id] = setting;
    }
  }
  return config;
}

/**
 * The text of a configuration file. Opened without blocking (a FIFO named `.complianceagent.yml` in a scanned
 * repository must not hang the scan) and refused unless it is a regular file of at most MAX_CONFIG_BYTES.
 * Returns undefined when `optional` and the file does not exist.
 */
async function readConfigText(file: string, optional: boolean): Promise<string | undefined> {
  const hint = optional ? `remove or fix ${CONFIG_FILE}` : 'check the --config path';
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (optional && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
    throw new UsageError(`cannot read config file ${file}: ${code ?? (error as Error).message}`, hint);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UsageError(`config file ${file} is not a regular file`, hint);
    if (info.size > MAX_CONFIG_BYTES)
      throw new UsageError(`config file ${file} is larger than ${MAX_CONFIG_BYTES} bytes; a configuration is a few lines`, hint);
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_CONFIG_BYTES) throw new UsageError(`config file ${file} is larger than ${MAX_CONFIG_BYTES} bytes; a configuration is a few lines`, hint);
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, hint);
  } finally {
    await handle.close();
  }
}

/** Reads `path` if given (it must exist), else `.complianceagent.yml` in `dir` if present. */
export async function loadConfig(dir: string, path?: string): Promise<Config> {
  const file = path ?? join(dir, CONFIG_FILE);
  const text = await readConfigText(file, path === undefined);
  if (text === undefined) return { disabledRules: [], settings: {}, source: '' };
  return parseConfig(text, path ?? CONFIG_FILE);
}
