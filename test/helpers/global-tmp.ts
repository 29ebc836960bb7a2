import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every test (and every CLI process a test starts) makes its temporary folders under one
 * folder of this run, removed when the run ends, so `npm test` leaves nothing behind in the system temp folder.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'complianceagent-test-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
