import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/engine/progress.js';

function run(stderrIsTTY: boolean, env: Record<string, string>, times: number[]): string {
  let out = '';
  let i = 0;
  const p = createProgress({
    write: (t) => (out += t),
    stderrIsTTY,
    env,
    now: () => times[Math.min(i++, times.length - 1)]!,
    delayMs: 1000,
    intervalMs: 100,
    width: 10,
  });
  p.update(1, 4);
  p.update(2, 4);
  p.update(4, 4);
  p.done();
  return out;
}

describe('progress bar', () => {
  it('draws on a TTY once the scan is long, and clears its line at the end', () => {
    // started at 0; first update at 500 ms (too early), then 1500 ms and 1550 ms (the last update always draws)
    expect(JSON.stringify(run(true, {}, [0, 500, 1500, 1550]))).toBe(
      JSON.stringify('\r\u001b[2Kscanning [#####-----] 2/4 files 2s\r\u001b[2Kscanning [##########] 4/4 files 2s\r\u001b[2K'),
    );
  });
  it.each([
    ['stderr is piped', false, {}],
    ['CI is set', true, { CI: 'true' }],
    ['TERM is dumb', true, { TERM: 'dumb' }],
  ])('writes nothing when %s', (_, tty, env) => {
    expect(run(tty, env, [0, 5000, 6000, 7000])).toBe('');
  });
  it('writes nothing for a short scan', () => {
    expect(run(true, {}, [0, 100, 200, 300])).toBe('');
  });
});
