import type { FileFacts, Language } from '../model/facts.js';
import type { ScanError } from '../types.js';
import { extractJavaScript } from '../languages/javascript/extract.js';
import { extractPython } from '../languages/python/extract.js';
import { extractConfig } from '../languages/config/extract.js';

export interface SourceFile {
  /** Repo-root-relative POSIX path. */
  path: string;
  language: Language;
  text: string;
}

export interface Extracted {
  /** Null when the file could not be parsed at all. */
  facts: FileFacts | null;
  errors: ScanError[];
}

type SyntaxErrors = ReadonlyArray<{ message?: string; line: number; column: number }>;

function syntaxError(path: string, errors: SyntaxErrors): ScanError[] {
  if (errors.length === 0) return [];
  const first = errors[0]!;
  const what = first.message ? `: ${first.message}` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return [{ path, kind: 'parse', line: first.line, message: `syntax error at ${first.line}:${first.column}${what}${more}; facts were taken from the parts that parsed` }];
}

/** Parses one file and extracts its facts. Never throws: failures are scan errors. */
export async function extractFacts(file: SourceFile): Promise<Extracted> {
  try {
    switch (file.language) {
      case 'javascript':
      case 'typescript': {
        const { facts, syntaxErrors } = extractJavaScript(file.path, file.language, file.text);
        return { facts, errors: syntaxError(file.path, syntaxErrors) };
      }
      case 'python': {
        const { facts, syntaxErrors } = await extractPython(file.path, file.text);
        return { facts, errors: syntaxError(file.path, syntaxErrors.map((e) => ({ ...e, message: 'invalid Python syntax' }))) };
      }
      case 'config': {
        const { facts, syntaxErrors } = extractConfig(file.path, file.text);
        return { facts, errors: syntaxError(file.path, syntaxErrors) };
      }
    }
  } catch (error) {
    const e = error as { message?: string; loc?: { line: number; column: number } };
    const message = (e.message ?? String(error)).split('\n')[0]!;
    const scanError: ScanError = { path: file.path, kind: 'parse', message: `could not be parsed: ${message}` };
    if (e.loc?.line) scanError.line = e.loc.line;
    return { facts: null, errors: [scanError] };
  }
}
