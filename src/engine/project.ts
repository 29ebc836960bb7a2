import type { FileFacts } from '../model/facts.js';
import type { Endpoint } from '../model/endpoints.js';
import type { ProjectModel } from '../model/project.js';
import { resolvePythonEndpoints } from '../languages/python/frameworks/resolve.js';
import { resolveJsEndpoints } from '../languages/javascript/frameworks/resolve.js';

export type { ProjectModel };

/**
 * Cross-file resolution happens here (routers mounted in another file, global guards, settings defaults), so
 * rules stay short and every framework counts.
 */
export function buildProjectModel(files: readonly FileFacts[]): ProjectModel {
  const python = resolvePythonEndpoints(files);
  const js = resolveJsEndpoints(files);
  const endpoints = [...python.endpoints, ...js.endpoints].sort(byLocation);
  return { files, endpoints, apps: [...python.apps, ...js.apps].sort((a, b) => compareText(a.file, b.file) || a.range.start.line - b.range.start.line) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deterministic endpoint order: file, line, methods, path. */
function byLocation(a: Endpoint, b: Endpoint): number {
  return compareText(a.file, b.file) || a.range.start.line - b.range.start.line || compareText(a.methods.join(','), b.methods.join(',')) || compareText(a.path, b.path);
}
