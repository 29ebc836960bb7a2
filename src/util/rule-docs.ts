import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './version.js';

export const RULES_DIR = join(PACKAGE_ROOT, 'rules');

/** The markdown docs beside a rule module (`rules/SOC2-002-hardcoded-secret.md`), or undefined. */
export function readRuleDoc(ruleId: string): string | undefined {
  const name = readdirSync(RULES_DIR).find((f) => f.startsWith(`${ruleId}-`) && f.endsWith('.md'));
  return name ? readFileSync(join(RULES_DIR, name), 'utf8') : undefined;
}
