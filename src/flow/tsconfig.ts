/**
 * The module-alias fact of a tsconfig.json / jsconfig.json: `compilerOptions.baseUrl`, `compilerOptions.paths`
 * and `extends`, as written. The config extractor stores it on the file's facts; the module resolver
 * (src/flow/modules.ts) reads it to resolve `@server/…`-style imports.
 */

import type { TsconfigFact } from '../model/facts.js';

export type { TsconfigFact };

/** tsconfig.json, jsconfig.json, tsconfig.base.json, tsconfig.app.json …: the files whose aliases matter. */
export function isTsconfigPath(path: string): boolean {
  return /(?:^|\/)[tj]sconfig(?:\.[^/]*)?\.json$/i.test(path);
}

/** JSONC (comments, trailing commas) to JSON: strings are kept as they are. */
function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** The alias fact of a tsconfig/jsconfig text; undefined when it has none (or does not parse). */
export function readTsconfig(text: string): TsconfigFact | undefined {
  let json: unknown;
  try {
    json = JSON.parse(stripJsonc(text.replace(/^\uFEFF/, '')));
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const root = json as Record<string, unknown>;
  const fact: TsconfigFact = {};
  const ext = root.extends;
  const extendsList = (typeof ext === 'string' ? [ext] : Array.isArray(ext) ? ext : []).filter((e): e is string => typeof e === 'string');
  if (extendsList.length > 0) fact.extends = extendsList;
  const options = root.compilerOptions;
  if (options && typeof options === 'object' && !Array.isArray(options)) {
    const { baseUrl, paths } = options as Record<string, unknown>;
    if (typeof baseUrl === 'string') fact.baseUrl = baseUrl;
    if (paths && typeof paths === 'object' && !Array.isArray(paths)) {
      const out: Record<string, string[]> = {};
      for (const [pattern, targets] of Object.entries(paths as Record<string, unknown>)) {
        const list = Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [];
        if (list.length > 0) out[pattern] = list;
      }
      if (Object.keys(out).length > 0) fact.paths = out;
    }
  }
  return Object.keys(fact).length > 0 ? fact : undefined;
}
