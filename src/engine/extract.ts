import type { FileFacts, Language } from '../model/facts.js';
import type { ScanError } from '../types.js';
import { pluginFor, type LanguageExtraction } from '../languages/index.js';
import { keepsStringFact } from '../model/string-facts.js';

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
  return [
    {
      path,
      kind: 'parse',
      line: first.line,
      message: `syntax error at ${first.line}:${first.column}${what}${more}; facts were taken from the parts that parsed`,
    },
  ];
}

/** Parses one file and extracts its facts through its language plugin. Never throws: failures are scan errors. */
export async function extractFacts(file: SourceFile): Promise<Extracted> {
  let extraction: LanguageExtraction;
  try {
    extraction = await pluginFor(file.language).extract(file.path, file.language, file.text);
  } catch (error) {
    const e = error as { message?: string; loc?: { line: number; column: number } };
    const message = (e.message ?? String(error)).split('\n')[0]!;
    const scanError: ScanError = { path: file.path, kind: 'parse', message: `could not be parsed: ${message}` };
    if (e.loc?.line) scanError.line = e.loc.line;
    return { facts: null, errors: [scanError] };
  }
  const syntax = file.language === 'python' ? extraction.syntaxErrors.map((e) => ({ ...e, message: 'invalid Python syntax' })) : extraction.syntaxErrors;
  // A crashed feature extractor costs only its own facts: the file's other facts and every rule still run.
  const faults: ScanError[] = extraction.faults.map((f) => ({
    path: file.path,
    kind: 'internal',
    message: `the ${f.extractor} extractor failed (${f.message})${f.at ? ` at ${f.at}` : ''}; its facts are missing for this file, the other extractors ran`,
  }));
  // Only the literals a reader of string facts acts on travel on (model/string-facts.ts): most of a file's literals
  // are messages, keys and names, and every kept one is serialised, sent, cached and read back on each re-scan.
  const facts = extraction.facts;
  facts.strings = facts.strings.filter((s) => keepsStringFact(s.value));
  return { facts, errors: [...syntaxError(file.path, syntax), ...faults] };
}
