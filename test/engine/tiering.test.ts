import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SATURATED_FLAGS, fillsCores } from '../../src/engine/tiering.js';

describe('V8 tiering for a scan whose workers fill the cores', () => {
  it('applies only when the workers leave no core for background compilation', () => {
    expect(fillsCores(2, 2)).toBe(true);
    expect(fillsCores(4, 2)).toBe(true);
    expect(fillsCores(8, 8)).toBe(true);
    // A spare core compiles for free: --jobs 1 on two cores, or fewer workers than cores.
    expect(fillsCores(1, 2)).toBe(false);
    expect(fillsCores(3, 8)).toBe(false);
    // One worker never: on one core the main thread and the worker already share it.
    expect(fillsCores(1, 1)).toBe(false);
  });

  it("is a flag this Node's V8 knows (an unknown one would make node exit with 9)", () => {
    const run = spawnSync(process.execPath, [...SATURATED_FLAGS.split(' '), '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
