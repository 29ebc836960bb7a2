import { setFlagsFromString } from 'node:v8';

/**
 * V8 tuning for a one-pass workload, set before any other module of the CLI is evaluated (main.ts imports this
 * first) and shared by the worker threads (V8 flags are per process).
 *
 * A scan runs each parser and extractor function over each file once. V8's default tiering optimises a function with
 * TurboFan after a small amount of work (an interrupt budget of 66 KB of bytecode executed), so on a cold scan much
 * of the CPU goes into compiling, deoptimising and recompiling Babel's and the extractors' functions while the
 * polymorphism of a large codebase shows up file by file; each worker thread pays for that again. Measured on
 * medusa's packages (446k lines, 2 cores): Babel's first pass over 1,846 files spent 2.4 s of CPU against 0.6 s for
 * a second pass over the same files, and 498 optimisations and 204 deoptimisations happened in the first. A larger
 * budget optimises only what stays hot (docs/benchmarks.md, "V8's tiering on a one-pass workload"): with two workers
 * on two cores the scan's CPU went from about 22 s to 16-17 s. 600 KB is the compromise measured between two
 * workers (1.2 MB was as fast) and one (where 1.2 MB left the second core idle that background compilation used:
 * 14.5 s wall against 12-13 s). The flag changes when code is optimised, never what it computes.
 * `bench/phase.mjs` applies it to its parse-only reference pass as well.
 */
export const V8_FLAGS = '--interrupt-budget=600000';

setFlagsFromString(V8_FLAGS);
