import type { FileFacts } from '../model/facts.js';
import type { Endpoint } from '../model/endpoints.js';
import type { ProjectModel } from '../model/project.js';
import { LANGUAGE_PLUGINS } from '../languages/index.js';
import { compareStrings } from '../util/compare.js';

export type { ProjectModel };

/**
 * Cross-file resolution happens here (routers mounted in another file, global guards, settings defaults), so
 * rules stay short and every framework counts.
 */
export function buildProjectModel(files: readonly FileFacts[]): ProjectModel {
  const resolved = LANGUAGE_PLUGINS.flatMap((plugin) => (plugin.resolveEndpoints ? [plugin.resolveEndpoints(files)] : []));
  const endpoints = resolved.flatMap((r) => r.endpoints).sort(byLocation);
  const apps = resolved.flatMap((r) => r.apps).sort((a, b) => compareStrings(a.file, b.file) || a.range.start.line - b.range.start.line);
  return { files, endpoints, apps };
}

/** Deterministic endpoint order: file, line, methods, path. */
function byLocation(a: Endpoint, b: Endpoint): number {
  return (
    compareStrings(a.file, b.file) ||
    a.range.start.line - b.range.start.line ||
    compareStrings(a.methods.join(','), b.methods.join(',')) ||
    compareStrings(a.path, b.path)
  );
}
