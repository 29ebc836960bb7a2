import type { Rule } from '../src/engine/rule.js';
import hardcodedSecret from './SOC2-002-hardcoded-secret.js';

/** The rule registry, sorted by id. Rules not built yet are absent; the control mapping still lists them. */
export const RULES = [hardcodedSecret] as const satisfies readonly Rule[];
