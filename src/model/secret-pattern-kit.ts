/**
 * What a provider secret pattern is, and the deterministic synthetic tokens its samples are built from (no real or
 * key-shaped literal sits in the pattern tables). Shared by secret-patterns.ts and secret-patterns-more.ts.
 */
import type { Confidence, Severity } from '../types.js';

export interface SecretPattern {
  /** kebab-case, e.g. 'aws-access-key-id'. */
  id: string;
  title: string;
  /** No global flag; a capture group named `secret` marks the secret part, otherwise the whole match is. */
  regex: RegExp;
  /** Lowercase substrings; the regex runs only if one occurs in the lowercased text. */
  keywords: string[];
  severity: Severity;
  confidence: Confidence;
  /** Public, non-secret prefix that may be shown when masking (e.g. 'AKIA', 'ghp_', 'sk_live_'); '' if none. */
  publicPrefix?: (secret: string) => string;
  /**
   * `match` must be found, `noMatch` must not; `placeholder` (optional) must be found and flagged as a documentation
   * placeholder in the provider's format (reported low).
   */
  samples: { match: string[]; noMatch: string[]; placeholder?: string[] };
}

export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const B64URL = `${ALNUM}-_`;
export const B64 = `${ALNUM}+/`;
export const HEX = '0123456789abcdef';
export const DIGITS = '0123456789';

/** Deterministic pseudo-random `prefix` + `length` characters of `alphabet`: synthetic, never a real key. */
export function syntheticToken(prefix: string, length: number, alphabet: string = ALNUM, seed = 0): string {
  let h = 2166136261 ^ seed;
  for (const c of `${prefix}:${length}:${alphabet.length}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  h = h >>> 0 || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    out += alphabet.charAt((h >>> 0) % alphabet.length);
  }
  return prefix + out;
}

/** The first of `prefixes` the secret starts with: the part that may be shown when masking. */
export const prefixOf =
  (...prefixes: string[]) =>
  (secret: string): string =>
    prefixes.find((p) => secret.startsWith(p)) ?? '';

export interface Definition {
  id: string;
  title: string;
  regex: RegExp;
  keywords: string[];
  severity?: Severity;
  confidence?: Confidence;
  prefixes?: string[];
  match: string[];
  noMatch: string[];
  placeholder?: string[];
}

export function define(d: Definition): SecretPattern {
  return {
    id: d.id,
    title: d.title,
    regex: d.regex,
    keywords: d.keywords,
    severity: d.severity ?? 'high',
    confidence: d.confidence ?? 'high',
    ...(d.prefixes ? { publicPrefix: prefixOf(...d.prefixes) } : {}),
    samples: { match: d.match, noMatch: d.noMatch, ...(d.placeholder ? { placeholder: d.placeholder } : {}) },
  };
}

/** `name = value` / `name: value` / `name("value")` after a provider word, for formats without a prefix. */
export const assigned = (provider: string, value: string) =>
  new RegExp(
    String.raw`${provider}[\w.-]{0,30}?(?:key|token|secret|client)[\w.-]{0,20}["'\]]*\s*(?:=|:|=>|:=|\()\s*["']?(?<secret>${value})(?![A-Za-z0-9])`,
    'i',
  );
