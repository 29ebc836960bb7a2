import { extractJsAudit } from './audit.js';
import { extractJsFlows } from './flow.js';
import { extractJsErrorExposures } from './error-exposure.js';
import { extractJsDataProtection } from './data-protection.js';
import { extractJsSessions } from './sessions.js';
import { extractJsRoutes } from './frameworks/extract.js';

export type { JsFeatureExtractor, JsFeatureInput } from './feature-input.js';
import type { JsFeatureExtractor } from './feature-input.js';
import { extractJsLlm } from './llm.js';

/** The feature extractors, run in this order on each file's one tree. */
export const JS_FEATURES: JsFeatureExtractor[] = [
  extractJsDataProtection,
  extractJsSessions,
  extractJsFlows,
  extractJsErrorExposures,
  extractJsRoutes,
  extractJsAudit,
  extractJsLlm,
];

/** The extractors run on a test file: all but endpoints, data flow and the audit call graph (see PY_TEST_FEATURES). */
export const JS_TEST_FEATURES: JsFeatureExtractor[] = JS_FEATURES.filter((f) => f !== extractJsRoutes && f !== extractJsFlows && f !== extractJsAudit);
