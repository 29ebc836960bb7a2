import { importOnce, type LanguagePlugin } from '../plugin.js';
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

const loadExtract = importOnce(() => import('./extract.js'));

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
