import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { CONFIG_SCHEMA } from './schema.js';
import type { Severity } from '../engine/types.js';
import type { RuleSetting } from '../engine/analyze.js';

export const CONFIG_FILE = '.complianceagent.yml';

export type FailOn = Severity | 'none';

export interface Config {
  failOn?: FailOn;
  include?: string[];
  exclude?: string[];
  maxFileSize?: number;
  respectGitignore?: boolean;
  /** Rule ids switched off. */
  disabledRules: string[];
  settings: Record<string, RuleSetting>;
  /** Where it was read from ('' when no file). */
  source: string;
}

/** A problem the user can fix: printed as one plain line with a hint, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

type RawRule = 'off' | 'on' | boolean | { enabled?: boolean; severity?: Severity; options?: Record<string, unknown> };
interface RawConfig {
  failOn?: FailOn;
  include?: string[];
  exclude?: string[];
  maxFileSize?: number;
  respectGitignore?: boolean;
  rules?: Record<string, RawRule>;
}

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile<RawConfig>(CONFIG_SCHEMA);

function describe(error: ErrorObject, source: string): string {
  const at = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const where = at ? ` at '${at}'` : '';
  if (error.keyword === 'additionalProperties') {
    return `${source}: unknown key '${(error.params as { additionalProperty: string }).additionalProperty}'${where}`;
  }
  if (error.keyword === 'propertyNames' || error.keyword === 'pattern') {
    return `${source}: unknown rule id '${(error.params as { propertyName?: string }).propertyName ?? at}' in 'rules'`;
  }
  if (error.keyword === 'enum') {
    return `${source}: '${at}' must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${source}: '${at || 'config'}' ${error.message ?? 'is invalid'}`;
}

export function parseConfig(text: string, source: string): Config {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new UsageError(`${source}:${e.linePos?.[0]?.line ?? 1}: invalid YAML: ${e.message.split('\n')[0]}`, 'fix the YAML syntax');
  }
  const raw = (doc.toJS() ?? {}) as RawConfig;
  if (!validate(raw)) {
    const errors = validate.errors ?? [];
    // anyOf reports every branch; the most specific error is the one with the longest path.
    const rank = (e: ErrorObject) => (e.keyword === 'additionalProperties' || e.keyword === 'propertyNames' ? 0 : 1);
    const best = [...errors].filter((e) => e.keyword !== 'anyOf').sort((a, b) => rank(a) - rank(b) || b.instancePath.length - a.instancePath.length)[0] ?? errors[0]!;
    throw new UsageError(describe(best, source), `see the Configuration section of the README`);
  }
  const config: Config = { disabledRules: [], settings: {}, source };
  if (raw.failOn !== undefined) config.failOn = raw.failOn;
  if (raw.include) config.include = raw.include;
  if (raw.exclude) config.exclude = raw.exclude;
  if (raw.maxFileSize !== undefined) config.maxFileSize = raw.maxFileSize;
  if (raw.respectGitignore !== undefined) config.respectGitignore = raw.respectGitignore;
  for (const [id, rule] of Object.entries(raw.rules ?? {})) {
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

/** Reads `path` if given (it must exist), else `.complianceagent.yml` in `dir` if present. */
export async function loadConfig(dir: string, path?: string): Promise<Config> {
  const file = path ?? join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!path && (error as NodeJS.ErrnoException).code === 'ENOENT') return { disabledRules: [], settings: {}, source: '' };
    throw new UsageError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the --config path');
  }
  return parseConfig(text, path ?? CONFIG_FILE);
}
