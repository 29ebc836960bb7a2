import type { FileFacts } from './facts.js';
import type { Endpoint, HttpApp } from './endpoints.js';

/** What rules read: the language-neutral project model, built once per scan from every file's facts. */
export interface ProjectModel {
  files: readonly FileFacts[];
  /** Every HTTP endpoint with its resolved path and guards (empty until a framework extractor finds routes). */
  endpoints: readonly Endpoint[];
  apps: readonly HttpApp[];
}
