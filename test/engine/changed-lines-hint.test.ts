import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { changedLinesSince, refForMessage, shellSafeRef } from '../../src/engine/changed-lines.js';

/** The hint of an unknown --changed-since ref suggests a git command: pasting it must never run what the ref smuggled in. */

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'ca-hint-'));
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  writeFileSync(join(repo, 'a.js'), 'const a = 1;\n');
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['commit', '-q', '-m', 'one'],
  ])
    execFileSync('git', args, { cwd: repo, env });
});

async function usageError(ref: string): Promise<UsageError> {
  const error = await changedLinesSince(repo, ref).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('--changed-since hint', () => {
  it.each(['main;touch /tmp/pwned', 'x$(touch /tmp/pwned)', 'x`id`', '--upload-pack=touch /tmp/pwned', "it's", 'a b', 'a|b', 'x&&y', '../etc'])(
    'does not repeat %j in the suggested command',
    async (ref) => {
      const e = await usageError(ref);
      expect(e.hint).toBe('check the name, or fetch the branch: git fetch origin <branch>');
    },
  );

  it('repeats a plain branch name, without its origin/ prefix', async () => {
    expect((await usageError('origin/release-1.2')).hint).toBe('check the name, or fetch it: git fetch origin release-1.2');
    expect((await usageError('feature/x_y')).hint).toBe('check the name, or fetch it: git fetch origin feature/x_y');
  });

  it('shows control characters of the ref escaped in the message', async () => {
    const e = await usageError('evil\u001b[31mred\nnext');
    expect(e.message).toBe("--changed-since: 'evil\\u001b[31mred\\u000anext' is not a commit, branch or tag in this repository");
    expect(e.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('shellSafeRef accepts branch names and refuses anything a shell or git would read otherwise', () => {
    for (const ok of ['main', 'release/2024.1', 'JIRA-123_fix', 'v1.2.3']) expect(shellSafeRef(ok)).toBe(ok);
    for (const bad of ['', '-x', '.hidden', 'a..b', 'a//b', 'a/', 'a.', 'a.lock', 'a~1', 'a^', 'a:b', 'a*', 'a?', 'a[1]', 'a\\b', '$HOME', 'x'.repeat(201)])
      expect(shellSafeRef(bad)).toBeUndefined();
    expect(refForMessage('x'.repeat(300))).toHaveLength(121);
  });
});

describe('--changed-since without git', () => {
  it('is a usage error when git is not on PATH', async () => {
    const saved = process.env.PATH;
    process.env.PATH = join(repo, 'no-such-bin');
    try {
      await expect(changedLinesSince(repo, 'main')).rejects.toThrow('--changed-since needs git, which was not found on PATH');
    } finally {
      process.env.PATH = saved;
    }
  });
});
