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

/**
 * The extractors run on a test file (model/test-paths.ts): all but endpoints, data flow and the audit call graph,
 * whose facts serve only SOC2-001/-003/-004/-006/-008/-010 and the endpoint inventory, none of which reports or
 * lists anything in test code. Data protection (SOC2-005 reports test files at low), sessions, error exposure and
 * the LLM reader (the agents inventory counts test files) still run. Tests are most of many codebases' lines.
 */
export const PY_TEST_FEATURES: PyFeatureExtractor[] = PY_FEATURES.filter((f) => f !== extractPythonRouteFacts && f !== extractPyFlows && f !== extractPyAudit);
