import type { Taint } from './taint.js';

/**
 * Function scopes for the main pass of both taint walks. The walk inlines every function in source order and a
 * nested function sees its enclosing function's variables (closures), but a function's own locals — its
 * parameters and the names it declares — end with it. Without this, a variable read from the request in one
 * route handler was still tainted in the next handler, and a finding there started its chain in the wrong
 * handler (`items(q: int)` reported with the source `q: str` of `search` above it).
 *
 * A name declared in a function is restored on exit to what it was before (gone, or the enclosing scope's
 * value), and so are the fields under it (`obj.attr`) and its sanitised mark. Names a function only assigns
 * without declaring them (JS module variables, Python `global`, `this.x`/`self.x` fields) keep their value.
 */
interface Saved {
  /** The name's taint and its dotted fields (`name.attr`) at the moment it was declared. */
  entries: Array<[string, Taint]>;
  sanitised: string[];
}

export class FunctionScopes {
  private readonly frames: Array<Map<string, Saved>> = [];

  get depth(): number {
    return this.frames.length;
  }

  enter(): void {
    this.frames.push(new Map());
  }

  /** Call before binding `name` as a local of the innermost function (no-op outside functions). */
  declare(name: string, env: ReadonlyMap<string, Taint>, sanitised: ReadonlySet<string>): void {
    const frame = this.frames[this.frames.length - 1];
    if (!frame || frame.has(name)) return;
    // Fields are only kept with their root (`obj.a = x` also taints `obj`), so an untainted name has none to save.
    const entries = env.has(name) ? [...env].filter(([k]) => rootOf(k) === name) : [];
    frame.set(name, { entries, sanitised: sanitised.size > 0 ? [...sanitised].filter((k) => rootOf(k) === name) : [] });
  }

  /** Restores every name the innermost function declared. */
  exit(env: Map<string, Taint>, sanitised: Set<string>): void {
    const frame = this.frames.pop();
    if (!frame) return;
    if (frame.size === 0) return;
    for (const k of [...env.keys()]) if (frame.has(rootOf(k))) env.delete(k);
    for (const k of [...sanitised]) if (frame.has(rootOf(k))) sanitised.delete(k);
    for (const saved of frame.values()) {
      for (const [k, t] of saved.entries) env.set(k, t);
      for (const k of saved.sanitised) sanitised.add(k);
    }
  }

  reset(): void {
    this.frames.length = 0;
  }
}

/** `obj` for `obj`, `obj.a` and `obj.a.b`. */
function rootOf(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}
