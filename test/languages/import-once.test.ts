import { describe, expect, it } from 'vitest';
import { importOnce } from '../../src/languages/plugin.js';

describe('importOnce (a plugin loads its extractor module once)', () => {
  it('calls the loader once and hands every caller the same module', async () => {
    let calls = 0;
    const load = importOnce(async () => {
      calls++;
      return { extract: () => 'facts' };
    });
    const [a, b] = await Promise.all([load(), load()]);
    const c = await load();
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('does not keep a failed import: the next call tries again', async () => {
    let calls = 0;
    const load = importOnce(async () => {
      calls++;
      if (calls === 1) throw new Error('module not found');
      return 'module';
    });
    await expect(load()).rejects.toThrow('module not found');
    await expect(load()).resolves.toBe('module');
    expect(calls).toBe(2);
  });
});
