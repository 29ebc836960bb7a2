import { describe, expect, it } from 'vitest';
import { memoizeByString } from '../../src/model/memo.js';

describe('memoizeByString', () => {
  it('answers as the function does, computing each string once (null and undefined answers too)', () => {
    const asked: string[] = [];
    const f = memoizeByString((s: string) => {
      asked.push(s);
      return s === 'none' ? null : s === 'unset' ? undefined : s.length;
    });
    for (const s of ['ab', 'none', 'unset', 'ab', 'none', 'unset', 'abc']) f(s);
    expect(asked).toEqual(['ab', 'none', 'unset', 'abc']);
    expect([f('ab'), f('none'), f('unset'), f('abc')]).toEqual([2, null, undefined, 3]);
  });

  it('stays bounded: the table is emptied when full, and answers stay right', () => {
    let calls = 0;
    const f = memoizeByString((s: string) => {
      calls++;
      return s.toUpperCase();
    }, 3);
    for (const s of ['a', 'b', 'c']) f(s);
    expect(calls).toBe(3);
    expect(f('d')).toBe('D'); // full: emptied, then 'd' kept
    expect(f('a')).toBe('A');
    expect(calls).toBe(5);
  });
});
