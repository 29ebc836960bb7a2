import { importOnce, type LanguagePlugin } from '../plugin.js';

/** Config formats that can carry credentials, by extension. */
const EXTENSIONS: ReadonlySet<string> = new Set(['.env', '.yml', '.yaml', '.json', '.ini', '.cfg', '.conf', '.properties', '.toml', '.dockerfile', '.prisma']);

/** Whole (lower-cased) file names that are config without a telling extension. */
const NAMES: ReadonlySet<string> = new Set(['.env', 'dockerfile', '.npmrc', '.pypirc', '.netrc']);

/** Lower-cased name prefixes: `.env.production`, `Dockerfile.prod`. */
const PREFIXES = ['.env.', 'dockerfile.'] as const;

const loadExtract = importOnce(() => import('./extract.js'));

/** Configuration files (.env, YAML, JSON, INI, TOML, properties, Dockerfile, Prisma schema): text readers, no AST. */
export const config: LanguagePlugin = {
  id: 'config',
  languages: ['config'],
  detect: (lowerName) => {
    if (NAMES.has(lowerName) || PREFIXES.some((prefix) => lowerName.startsWith(prefix))) return 'config';
    const dot = lowerName.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.has(lowerName.slice(dot)) ? 'config' : null;
  },
  features: ['prisma'],
  load: async () => {
    await loadExtract();
  },
  extract: async (path, _language, text) => ({ ...(await loadExtract()).extractConfig(path, text), faults: [] }),
};
