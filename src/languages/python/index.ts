import type { LanguagePlugin } from '../plugin.js';
import { resolvePythonEndpoints } from './frameworks/resolve.js';

/** Python: tree-sitter (WebAssembly), then the feature extractors of features.ts on the one tree. */
export const python: LanguagePlugin = {
  id: 'python',
  languages: ['python'],
  detect: (lowerName) => (lowerName.endsWith('.py') && lowerName !== '.py' ? 'python' : null),
  features: ['routes', 'data-protection', 'sessions', 'flows', 'error-exposure', 'audit', 'llm'],
  load: async () => {
    await import('./extract.js');
  },
  extract: async (path, _language, text) => (await import('./extract.js')).extractPython(path, text),
  resolveEndpoints: resolvePythonEndpoints,
};
