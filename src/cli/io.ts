export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
  /** Whether stderr is a terminal (the progress bar draws only then). */
  stderrIsTTY?: boolean;
}

/** Colour only for a terminal, never with NO_COLOR set (https://no-color.org), always with FORCE_COLOR. */
export function useColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTTY;
}
