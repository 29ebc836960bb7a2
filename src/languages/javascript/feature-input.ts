import type { File } from '@babel/types';
import type { FileFacts, Language } from '../../model/facts.js';
import type { NodeIndex } from './visit.js';

export interface JsFeatureInput {
  ast: File;
  /** The file's nodes by type, built in the one walk over `ast`: extractors query it instead of walking. */
  index: NodeIndex;
  path: string;
  language: Language;
  text: string;
  /** The facts being built: a feature fills its own optional field(s). */
  facts: FileFacts;
}

/**
 * Feature extractors run on the one Babel AST of a file after the base extraction, each filling its own
 * optional FileFacts field (endpoints, data flow, …). One parse per file, one line per feature here.
 */
export type JsFeatureExtractor = (input: JsFeatureInput) => void;
