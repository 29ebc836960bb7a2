import type { Language } from '../model/facts.js';
import { config } from './config/index.js';
import { javascript } from './javascript/index.js';
import type { LanguagePlugin } from './plugin.js';
import { python } from './python/index.js';
import { text } from './text/index.js';

export type { ExtractorFault, LanguageExtraction, LanguagePlugin } from './plugin.js';

/**
 * The registry: every language plugin, in detection order (configuration names such as `Dockerfile.prod`
 * first). Discovery, extraction, the facts cache key and the project build read only this list; adding a
 * language is one folder with an index.ts and one entry here (docs/architecture.md lists the files).
 */
export const LANGUAGE_PLUGINS: readonly LanguagePlugin[] = [config, javascript, python, text];

/** The plugin that extracts files of `language`. */
export function pluginFor(language: Language): LanguagePlugin {
  const plugin = LANGUAGE_PLUGINS.find((p) => p.languages.includes(language));
  if (!plugin) throw new Error(`no language plugin for '${language}'`);
  return plugin;
}

/** The language of a file from its (lower-cased) name, asking each plugin in turn. */
export function detectByName(lowerName: string): Language | null {
  for (const plugin of LANGUAGE_PLUGINS) {
    const language = plugin.detect(lowerName);
    if (language) return language;
  }
  return null;
}
