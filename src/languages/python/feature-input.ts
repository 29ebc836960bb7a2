import type { PyNode } from './syntax.js';
import type { FileFacts } from '../../model/facts.js';

export interface PyFeatureInput {
  /** The file's syntax tree (plain JS objects, see syntax.ts): read it freely, it holds no WASM memory. */
  root: PyNode;
  path: string;
  text: string;
  /** The facts being built: a feature fills its own optional field(s). */
  facts: FileFacts;
}

/**
 * Feature extractors run on the one syntax tree of a file after the base extraction, each filling its own
 * optional FileFacts field. One parse per file, one line per feature here.
 */
export type PyFeatureExtractor = (input: PyFeatureInput) => void;
