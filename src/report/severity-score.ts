/**
 * The one place that maps our severities and confidences to what SARIF consumers (GitHub code scanning in
 * particular) read. GitHub buckets `security-severity` as: ≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
 * 0.1–3.9 low; the scores below sit inside those bands with room either side.
 */
import type { Confidence, Severity } from '../types.js';

export type SarifLevel = 'error' | 'warning' | 'note';
export type SarifPrecision = 'very-high' | 'high' | 'medium' | 'low';

export interface SeverityScore {
  /** `properties["security-severity"]`: a string holding a number, as GitHub requires. */
  securitySeverity: string;
  /** SARIF `level` (results) and `defaultConfiguration.level` (rules). */
  level: SarifLevel;
}

export const SEVERITY_SCORES: Readonly<Record<Severity, SeverityScore>> = {
  critical: { securitySeverity: '9.5', level: 'error' },
  high: { securitySeverity: '8.0', level: 'error' },
  medium: { securitySeverity: '5.5', level: 'warning' },
  low: { securitySeverity: '3.0', level: 'note' },
};

export const CONFIDENCE_PRECISION: Readonly<Record<Confidence, SarifPrecision>> = {
  high: 'high',
  medium: 'medium',
  low: 'low',
};

export function securitySeverity(severity: Severity): string {
  return SEVERITY_SCORES[severity].securitySeverity;
}

export function sarifLevel(severity: Severity): SarifLevel {
  return SEVERITY_SCORES[severity].level;
}

export function sarifPrecision(confidence: Confidence): SarifPrecision {
  return CONFIDENCE_PRECISION[confidence];
}
