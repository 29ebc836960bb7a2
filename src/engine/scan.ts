import { readFile } from 'node:fs/promises';
import type { Rule } from './rule.js';
import type { Coverage, ScanError, ScanResult } from './types.js';
import { analyze, type RuleSetting } from './analyze.js';
import { extractFacts } from './extract.js';
import { findFiles, type DiscoveryOptions } from '../discovery/find-files.js';
import type { FileFacts } from '../model/facts.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export interface ScanOptions extends DiscoveryOptions {
  rules: readonly Rule[];
  settings?: Readonly<Record<string, RuleSetting>>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes strict UTF-8 (a BOM is dropped); null when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return null;
  }
}

/** Discover → read → parse/extract → analyze. Effects (file system) stay here; `analyze` is pure. */
export async function scan(root: string, options: ScanOptions): Promise<ScanResult> {
  const discovery = await findFiles(root, options);
  const errors: ScanError[] = discovery.errors.map((e) => ({ path: e.path, kind: 'read', message: e.message }));
  const files: Array<{ facts: FileFacts; text: string }> = [];
  const coverage: Coverage = { filesByLanguage: {}, linesScanned: 0, skipped: discovery.skipped };

  for (const file of discovery.files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file.absPath);
    } catch (error) {
      errors.push({ path: file.path, kind: 'read', message: `could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      continue;
    }
    const text = decodeUtf8(bytes);
    if (text === null) {
      errors.push({ path: file.path, kind: 'read', message: 'not valid UTF-8 text; convert it to UTF-8 to have it scanned' });
      continue;
    }
    const extracted = await extractFacts({ path: file.path, language: file.language, text });
    errors.push(...extracted.errors);
    if (!extracted.facts) continue;
    files.push({ facts: extracted.facts, text });
    coverage.filesByLanguage[file.language] = (coverage.filesByLanguage[file.language] ?? 0) + 1;
    coverage.linesScanned += extracted.facts.lineCount;
  }

  const analysed = analyze({ files, rules: options.rules, ...(options.settings ? { settings: options.settings } : {}) });
  errors.push(...analysed.errors);
  errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: discovery.root,
    repoPrefix: discovery.repoPrefix,
    rulesRun: options.rules.map((r) => r.id),
    findings: analysed.findings,
    errors,
    coverage,
    model: analysed.model,
  };
}
