import { importOnce, type LanguagePlugin } from '../plugin.js';
import { resolvePythonEndpoints } from './frameworks/resolve.js';

const loadExtract = importOnce(() => import('./extract.js'));

/** Python: tree-sitter (WebAssembly), then the feature extractors of features.ts on the one tree. */
export const python: LanguagePlugin = {
  id: 'python',
  languages: ['python'],
  detect: (lowerName) => (lowerName.endsWith('.py') && lowerName !== '.py' ? 'python' : null),
  features: ['routes', 'data-protection', 'sessions', 'flows', 'error-exposure', 'audit', 'llm'],
  load: async () => {
    await loadExtract();
  },
  extract: async (path, _language, text) => (await loadExtract()).extractPython(path, text),
  resolveEndpoints: resolvePythonEndpoints,
};
