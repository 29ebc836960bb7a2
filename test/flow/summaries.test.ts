import { describe, expect, it } from 'vitest';
import { LocalSummaries, applySummary, summariseFunctions } from '../../src/flow/summaries.js';
import { paramTaint, type SinkHit } from '../../src/flow/taint.js';

const range = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 9 } });
const step = (line: number) => ({ line, column: 1, label: `line ${line}` });

/**
 * A toy file: each function passes its parameter 0 to the functions it calls (by name) and, when `sink` is set,
 * into a sink. The walk reads summaries through `find` only, as the language walks do.
 */
interface Fn {
  name: string;
  node: null;
  calls: string[];
  sink?: number;
}

function run(functions: Fn[]): { walks: Record<string, number>; sinks: Record<string, number[]> } {
  const summaries = new LocalSummaries();
  const walks: Record<string, number> = {};
  summariseFunctions(functions, summaries, (f) => {
    walks[f.name] = (walks[f.name] ?? 0) + 1;
    const arg = paramTaint(0, step(1));
    const hit = (h: SinkHit) => summaries.addSink(f.name, h);
    for (const callee of f.calls) {
      const s = summaries.find(callee);
      if (s) applySummary(s, [arg], step(2), true, hit);
    }
    if (f.sink !== undefined) hit({ taint: arg, sink: 'sql', callee: 'db.query', range: range(f.sink), step: step(f.sink) });
  });
  const sinks: Record<string, number[]> = {};
  for (const f of functions) sinks[f.name] = [...(summaries.find(f.name)?.sinks.get(0) ?? [])].map((s) => s.range.start.line);
  return { walks, sinks };
}

describe('local summaries in two rounds', () => {
  it('follows helper → helper → sink two deep, as two full rounds do', () => {
    const { sinks } = run([
      { name: 'a', node: null, calls: ['b'] },
      { name: 'b', node: null, calls: ['c'] },
      { name: 'c', node: null, calls: [], sink: 7 },
    ]);
    // Round two reads round one: b reaches c's sink, a does not yet (a's walk read b's first-round summary, empty).
    expect(sinks).toEqual({ a: [], b: [7], c: [7] });
  });

  it('walks a function a second time only when a summary it looked up exists after the first round', () => {
    const { walks } = run([
      { name: 'a', node: null, calls: ['b'] },
      { name: 'b', node: null, calls: ['c'] },
      { name: 'c', node: null, calls: [], sink: 7 },
      { name: 'd', node: null, calls: ['missing'], sink: 9 },
    ]);
    expect(walks).toEqual({ a: 1, b: 2, c: 1, d: 1 });
  });

  it('keeps the writes of a function walked once (its summary is replayed into the second round)', () => {
    const { sinks } = run([
      { name: 'd', node: null, calls: [], sink: 9 },
      { name: 'e', node: null, calls: ['d'] },
    ]);
    expect(sinks).toEqual({ d: [9], e: [9] });
  });
});

describe('LocalSummaries.find by method', () => {
  const hit = (line: number): SinkHit => ({ taint: paramTaint(0, step(1)), sink: 'sql', callee: 'db.query', range: range(line), step: step(line) });

  it('finds `obj.method` by the method name, the first summarised class first, or by its exact receiver', () => {
    const s = new LocalSummaries();
    s.define(['Users.search', 'Orders.search', 'helper']);
    s.beginRound();
    s.addSink('Users.search', hit(3));
    s.addSink('Orders.search', hit(7));
    s.finish();
    expect(s.find('.search')?.sinks.get(0)?.[0]?.range.start.line).toBe(3);
    expect(s.find('Orders.search')?.sinks.get(0)?.[0]?.range.start.line).toBe(7);
    expect(s.find('repo.search')).toBeUndefined();
    expect(s.find('.missing')).toBeUndefined();
  });

  it('sees a summary written after finish() (the main pass writes into the last round)', () => {
    const s = new LocalSummaries();
    s.define(['A.run', 'A.go']);
    s.beginRound();
    s.addSink('A.run', hit(5));
    s.finish();
    expect(s.find('.go')).toBeUndefined();
    s.addSink('A.go', hit(9));
    expect(s.find('.go')?.sinks.get(0)?.[0]?.range.start.line).toBe(9);
    expect(s.find('.run')?.sinks.get(0)?.[0]?.range.start.line).toBe(5);
  });
});
