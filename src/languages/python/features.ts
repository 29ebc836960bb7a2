import { extractPyAudit } from './audit.js';
import { extractPyFlows } from './flow.js';
import { extractPyErrorExposures } from './error-exposure.js';
import { extractPyDataProtection } from './data-protection.js';
import { extractPySessions } from './sessions.js';
import { extractPythonRouteFacts } from './frameworks/extract.js';

export type { PyFeatureExtractor, PyFeatureInput } from './feature-input.js';
import type { PyFeatureExtractor } from './feature-input.js';
import { extractPyLlm } from './llm.js';

/** The feature extractors, run in this order on each file's one tree. */
export const PY_FEATURES: PyFeatureExtractor[] = [
  extractPythonRouteFacts,
  extractPyDataProtection,
  extractPySessions,
  extractPyFlows,
  extractPyErrorExposures,
  extractPyAudit,
  extractPyLlm,
];
