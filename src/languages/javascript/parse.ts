import { parse, type ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';

export interface JsParseResult {
  ast: File;
  /** Recoverable syntax errors Babel reported (the AST is still usable). */
  errors: Array<{ message: string; line: number; column: number }>;
}

function pluginsFor(path: string): ParserPlugin[] {
  const ext = path.slice(path.lastIndexOf('.')).toLowerCase();
  // `.ts` cannot enable JSX: `<T>expr` casts would be read as elements.
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return ['typescript', 'decorators-legacy'];
  if (ext === '.tsx') return ['typescript', 'jsx', 'decorators-legacy'];
  return ['jsx', 'decorators-legacy'];
}

/** Parses JS/TS/JSX/TSX with error recovery. Throws only when Babel cannot produce an AST at all. */
export function parseJavaScript(path: string, text: string): JsParseResult {
  const ast = parse(text, {
    sourceType: 'unambiguous',
    // No extractor reads comments (directives are read from the text): attaching them to nodes costs parse time.
    attachComment: false,
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowUndeclaredExports: true,
    allowSuperOutsideMethod: true,
    allowNewTargetOutsideFunction: true,
    plugins: pluginsFor(path),
  });
  const errors = (ast.errors ?? []).map((e) => {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    return { message: e.message ?? String(e), line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 };
  });
  return { ast, errors };
}
