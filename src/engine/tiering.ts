import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/**
 * V8's tiering for a scan whose worker threads keep every core busy.
 *
 * A scan runs each parser and extractor function over each file once, and V8's default tiering optimises a function
 * with TurboFan after little work (an interrupt budget of 66 KB of executed bytecode): on a cold scan much of the CPU
 * goes into compiling, deoptimising and recompiling Babel's and the extractors' functions as a large codebase's
 * variety shows up file by file, and every worker thread pays for it again (V8 shares no code between isolates).
 * Babel's first pass over medusa's `packages/core` (1,846 files, one thread, compilation on that thread) took 2.4 s
 * of CPU against 0.6 s for a second pass over the same files, with 498 optimisations and 204 deoptimisations in the
 * first. A larger budget optimises only what stays hot.
 *
 * Only when the workers fill every core: a process with a spare core compiles there for free, and the larger budget
 * then only leaves code longer in the slower tiers (one worker on two cores: 14.5 s wall against 12–13 s; the
 * parse-only pass: 16.9 s against 13.9 s). Measured with two workers on two cores (docs/benchmarks.md, "V8's
 * tiering when the workers fill the cores"): medusa's packages 22 → 16–17 s of CPU. V8 flags are per process, so
 * this also applies to the main thread from here on; it changes when code is optimised, never what it computes.
 */
export const SATURATED_FLAGS = '--interrupt-budget=600000';

/** Whether `workers` threads fill `cores` cores, leaving none for background compilation (one worker never does). */
export function fillsCores(workers: number, cores: number): boolean {
  return workers >= 2 && workers >= cores;
}

let applied = false;

/** Applies SATURATED_FLAGS once, before the first worker of a pool of `workers` threads starts, if they fill the cores. */
export function tuneTieringFor(workers: number): void {
  if (applied || !fillsCores(workers, availableParallelism())) return;
  applied = true;
  setFlagsFromString(SATURATED_FLAGS);
}
