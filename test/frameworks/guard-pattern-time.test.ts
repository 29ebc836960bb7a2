import { describe, expect, it } from 'vitest';
import { BODY_CHECKS } from '../../src/languages/python/tables/guards.js';

// pygoat's playground/A9/api.py made the multi-line `is_authenticated … else: redirect(login)` pattern backtrack for
// minutes (blank lines matched two ways): every file of the app then timed out and was not analysed.
describe('Python body-check patterns on long blocks without an else', () => {
  it('finish quickly (no catastrophic backtracking)', () => {
    const block = `if request.user.is_authenticated:\n${'    x = 1\n    \n\n'.repeat(4000)}return JsonResponse({}, status=200)\n`;
    for (const check of BODY_CHECKS) {
      const start = performance.now();
      check.pattern.exec(block);
      expect(performance.now() - start, check.name).toBeLessThan(2000);
    }
  });
});
