/**
 * A progress bar on stderr for long scans in a terminal. Silent when stderr is not a TTY, when CI is set, and
 * for the first `delayMs` of a scan (short scans never draw it). Redraws at most every `intervalMs`; `done()`
 * clears the line so the report starts clean.
 */
export interface ProgressOptions {
  write: (text: string) => void;
  stderrIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Injected for tests. */
  now?: () => number;
  delayMs?: number;
  intervalMs?: number;
  width?: number;
}

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

export function progressEnabled(stderrIsTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stderrIsTTY && !ci && env.TERM !== 'dumb';
}

export function createProgress(options: ProgressOptions): Progress {
  if (!progressEnabled(options.stderrIsTTY, options.env)) return SILENT;
  const now = options.now ?? Date.now;
  const started = now();
  const delay = options.delayMs ?? 1500;
  const interval = options.intervalMs ?? 100;
  const width = options.width ?? 30;
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (t - started < delay || (t - last < interval && done < total)) return;
      last = t;
      const ratio = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      const seconds = ((t - started) / 1000).toFixed(0);
      options.write(`\r\u001b[2Kscanning [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} files ${seconds}s`);
      drawn = true;
    },
    done() {
      if (drawn) options.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
