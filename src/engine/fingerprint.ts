import { createHash } from 'node:crypto';

/**
 * A finding's identity without line numbers (so inserting lines above it keeps it) and without secret values:
 * rule id, path, a stable anchor (already redacted) and the occurrence index among equal anchors in the file.
 */
export function fingerprint(ruleId: string, path: string, anchor: string, occurrence: number): string {
  const normalised = anchor.replace(/\s+/g, ' ').trim();
  const hash = createHash('sha256').update(`${ruleId}\0${path}\0${normalised}\0${occurrence}`).digest('hex');
  return `ca1:${hash.slice(0, 32)}`;
}
