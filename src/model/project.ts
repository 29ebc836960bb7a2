import type { FileFacts } from './facts.js';
import type { Endpoint, HttpApp } from './endpoints.js';
import { resolvePythonEndpoints } from '../languages/python/frameworks/resolve.js';
import { resolveJsEndpoints } from '../languages/javascript/frameworks/resolve.js';

/** What rules read: the language-neutral project model, built once per scan from every file's facts. */
export interface ProjectModel {
  files: readonly FileFacts[];
  /** Every HTTP endpoint with its resolved path and guards (empty until a framework extractor finds routes). */
  endpoints: readonly Endpoint[];
  apps: readonly HttpApp[];
}

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
