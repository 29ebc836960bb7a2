import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 13's habit: no source file under src/ or rules/ over 500 lines, so a file that grows past one concept is
// split along its concepts when it happens rather than found later. Counted as the editor shows lines.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIMIT = 500;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source file size', () => {
  it('counts lines as an editor does', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount(`${'x\n'.repeat(LIMIT + 1)}`)).toBe(LIMIT + 1);
  });

  it(`keeps every .ts file under src/ and rules/ at ${LIMIT} lines or fewer`, () => {
    const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'rules'))];
    expect(files.length).toBeGreaterThan(100);
    const over = files.map((f) => ({ file: relative(ROOT, f), lines: lineCount(readFileSync(f, 'utf8')) })).filter((f) => f.lines > LIMIT);
    expect(over).toEqual([]);
  });
});
