import type { Tree } from 'web-tree-sitter';
import type { FileFacts } from '../../model/facts.js';

export interface PyFeatureInput {
  /** Valid only during the call: the tree is deleted right after the features ran. */
  tree: Tree;
  path: string;
  text: string;
  /** The facts being built: a feature fills its own optional field(s). */
  facts: FileFacts;
}

/**
 * Feature extractors run on the one tree-sitter tree of a file after the base extraction, each filling its own
 * optional FileFacts field. One parse per file, one line per feature here.
 */
export type PyFeatureExtractor = (input: PyFeatureInput) => void;
