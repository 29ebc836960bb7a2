import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EVIDENCE_APP = join(import.meta.dirname, '..', '..', 'fixtures', 'projects', 'soc2-evidence-app');

/** Runs git with a fixed identity and dates, so commit hashes are the same on every run. */
export function gitAt(cwd: string, date: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada Reviewer',
      GIT_AUTHOR_EMAIL: 'ada@example.com',
      GIT_COMMITTER_NAME: 'Ada Reviewer',
      GIT_COMMITTER_EMAIL: 'ada@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  });
}

/**
 * A copy of the evidence fixture app outside this repository (so its `.github/` is the repository's), as a git
 * repository with a history: a commit in 2023, a feature branch merged in 2024 that changes the auth
 * middleware, and a commit in 2025.
 */
export function makeEvidenceRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-evidence-'));
  cpSync(EVIDENCE_APP, dir, { recursive: true });
  gitAt(dir, '2023-06-01T10:00:00Z', ['init', '-q', '-b', 'main']);
  gitAt(dir, '2023-06-01T10:00:00Z', ['add', '-A']);
  gitAt(dir, '2023-06-01T10:00:00Z', ['commit', '-q', '-m', 'Initial version']);
  gitAt(dir, '2024-03-01T09:00:00Z', ['checkout', '-q', '-b', 'harden-auth']);
  const auth = join(dir, 'src', 'middleware', 'auth.js');
  writeFileSync(auth, readFileSync(auth, 'utf8').replace('secretOrKey: process.env.JWT_SECRET', "secretOrKey: process.env.JWT_SECRET, algorithms: ['HS256']"));
  gitAt(dir, '2024-03-01T09:00:00Z', ['commit', '-q', '-am', 'Pin the JWT algorithm']);
  gitAt(dir, '2024-03-02T09:00:00Z', ['checkout', '-q', 'main']);
  writeFileSync(join(dir, 'README.md'), '# soc2-evidence-app\n');
  gitAt(dir, '2024-03-02T09:00:00Z', ['add', 'README.md']);
  gitAt(dir, '2024-03-02T09:00:00Z', ['commit', '-q', '-m', 'Add a README']);
  gitAt(dir, '2024-03-03T09:00:00Z', ['merge', '-q', '--no-ff', '-m', 'Merge branch harden-auth', 'harden-auth']);
  writeFileSync(
    join(dir, 'src', 'logger.js'),
    "const winston = require('winston');\n\nmodule.exports = winston.createLogger({ level: 'warn', transports: [new winston.transports.Console()] });\n",
  );
  gitAt(dir, '2025-01-15T12:00:00Z', ['commit', '-q', '-am', 'Log warnings and above']);
  return dir;
}
