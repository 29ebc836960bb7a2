import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff, touchesChange } from '../../src/engine/changed-lines.js';

const DIFF = `diff --git a/src/app.js b/src/app.js
index 1..2 100644
--- a/src/app.js
+++ b/src/app.js
@@ -3,0 +4,2 @@ const a = 1;
+const b = 2;
+const c = 3;
@@ -10 +12 @@ x
-old
+new
diff --git a/gone.py b/gone.py
deleted file mode 100644
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git a/old name.py b/new name.py
similarity index 90%
rename from old name.py
rename to new name.py
--- a/old name.py
+++ b/new name.py
@@ -1 +1 @@
-x = 1
+x = 2
diff --git a/only-removed.js b/only-removed.js
--- a/only-removed.js
+++ b/only-removed.js
@@ -5,2 +4,0 @@
-gone
-too
`;

describe('parseUnifiedDiff', () => {
  const changed = parseUnifiedDiff(DIFF);
  it('records the new-side lines of every hunk by new path', () => {
    expect(Object.fromEntries([...changed].map(([p, l]) => [p, l === 'all' ? 'all' : [...l]]))).toEqual({
      'src/app.js': [4, 5, 12],
      'new name.py': [1],
      'only-removed.js': [],
    });
  });
  it.each([
    ['src/app.js', 4, 4, true],
    ['src/app.js', 6, 11, false],
    ['src/app.js', 11, 13, true],
    ['new name.py', 1, 1, true],
    ['only-removed.js', 4, 4, false],
    ['untouched.js', 1, 1, false],
  ])('%s lines %i-%i touched: %s', (path, start, end, expected) => {
    expect(touchesChange(changed, path, start, end)).toBe(expected);
  });
  it('treats a whole new file as changed', () => {
    expect(touchesChange(new Map([['new.js', 'all']]), 'new.js', 99, 99)).toBe(true);
  });
});
