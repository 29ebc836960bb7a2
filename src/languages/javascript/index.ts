import type { LanguagePlugin } from '../plugin.js';
import type { Language } from '../../model/facts.js';
import { resolveJsEndpoints } from './frameworks/resolve.js';

const EXTENSIONS: ReadonlyMap<string, Language> = new Map([
  ['.js', 'javascript'],
  ['.jsx', 'javascript'],
  ['.mjs', 'javascript'],
  ['.cjs', 'javascript'],
  ['.ts', 'typescript'],
  ['.tsx', 'typescript'],
  ['.mts', 'typescript'],
  ['.cts', 'typescript'],
]);

/**
 * The extractor module, imported once: a dynamic `import()` per file goes through the module loader every time
 * (resolution, a job, a promise), which cost about 60 µs a file on medusa's packages. A failed import is retried.
 */
let extractModule: Promise<typeof import('./extract.js')> | undefined;
function loadExtract(): Promise<typeof import('./extract.js')> {
  extractModule ??= import('./extract.js').catch((error: unknown) => {
    extractModule = undefined;
    throw error;
  });
  return extractModule;
}

/** JavaScript and TypeScript: Babel with error recovery, then the feature extractors of features.ts on the one AST. */
export const javascript: LanguagePlugin = {
  id: 'javascript',
  languages: ['javascript', 'typescript'],
  detect: (lowerName) => {
    const dot = lowerName.lastIndexOf('.');
    return dot > 0 ? (EXTENSIONS.get(lowerName.slice(dot)) ?? null) : null;
  },
  features: ['data-protection', 'sessions', 'flows', 'error-exposure', 'routes', 'audit', 'llm'],
  load: async () => {
    await loadExtract();
  },
  extract: async (path, language, text) => (await loadExtract()).extractJavaScript(path, language, text),
  resolveEndpoints: resolveJsEndpoints,
};
