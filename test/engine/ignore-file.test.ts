import { describe, expect, it } from 'vitest';
import { parseIgnoreFile } from '../../src/engine/ignore-file.js';
import { UsageError } from '../../src/errors.js';

/** Hostile ignore files (issue 12): a usage error naming the file and the problem, never a crash or the file's text. */
describe('parseIgnoreFile on hostile input', () => {
  const catchError = (text: string): unknown => {
    try {
      parseIgnoreFile(text, '.complianceagent-ignore.yml');
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('turns a YAML alias bomb into a usage error', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const error = catchError(`${levels.join('\n')}\nignores: *i\n`);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/too many aliases/);
  });

  it('describes a YAML syntax error without quoting the file', () => {
    const error = catchError('ignores:\n  - fingerprint: "hunter2-secret-value\n    reason: [\n');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^\.complianceagent-ignore\.yml:\d+: invalid YAML/);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
