import { memoizeByString } from './memo.js';

/**
 * Test and fixture code by its path: test folders, test-support packages and test file names. Findings there rank
 * low or not at all, and test functions are never request roots. Samples below prove the table.
 */

/**
 * Test folders. End-to-end and integration suites (`e2e/`, `cypress/`, `integration-tests/`) and LLM evaluation suites
 * and their data (`evals/`, `eval-data/`) are test code too: they drive the app from outside and never ship. A folder
 * named `eval` alone is left out (an expression evaluator is application code).
 */
const TEST_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'fixtures',
  '__fixtures__',
  '__mocks__',
  'testdata',
  'e2e',
  'cypress',
  'integration-tests',
  'integration_tests',
  'evals',
  'eval-data',
  'eval_data',
]);
const TEST_FILE = /\.(?:test|spec)\.|^test_.*\.py$|_test\.py$|^conftest\.py$|^tests?\.py$/i;
/** Folders (packages) of test support code: `test-utils`, `medusa-test-utils`, `test_helpers`, `testutils`. */
const TEST_SUPPORT_DIR = /^(?:[\w.@-]+[-_])?test[-_]?(?:utils?|helpers?|harness|runner)$/i;

/** Asked per function and per finding of a file (the audit graph, the rules): remembered per path. */
export const looksLikeTestPath: (path: string) => boolean = memoizeByString(testPath);

function testPath(path: string): boolean {
  const parts = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '');
  const file = parts.pop() ?? '';
  return parts.some((d) => TEST_DIRS.has(d.toLowerCase()) || TEST_SUPPORT_DIR.test(d)) || TEST_FILE.test(file);
}

export const TEST_PATH_SAMPLES: { match: string[]; noMatch: string[] } = {
  match: [
    'test/secrets.test.ts',
    'tests/unit/db.py',
    'src/__tests__/auth.js',
    'src/auth.test.ts',
    'src/auth.spec.js',
    'lib/fixtures/keys.json',
    'pkg/test_settings.py',
    'app/models_test.py',
    'conftest.py',
    'spec/models/user_spec.rb',
    'src\\__tests__\\win.ts',
    'e2e/login.spec.ts',
    'aggregator/tests.py',
    'blog/test.py',
    'packages/medusa-test-utils/src/medusa-test-runner-utils/bootstrap-app.ts',
    'libs/test-utils/server.ts',
    'src/test_helpers/app.py',
    'src/evals/e2e/inputs.ts',
    'src/evals/general/index.ts',
    'e2e/fixtures.ts',
    'cypress/support/commands.js',
    'packages/modules/user/integration-tests/utils/seed.ts',
    'agent/eval_data/cases.json',
  ],
  noMatch: [
    'src/latest-utils/x.ts',
    'packages/contest-utils/app.ts',
    'src/auth.ts',
    'src/latest.ts',
    'src/contest/app.py',
    'src/testing-utils.ts',
    'app/attest.py',
    'docs/tests.md',
    'src/protest_test_data.js',
    'src/e2ee/keys.ts',
    'src/eval/interpreter.ts',
    'src/evaluation.ts',
    'app/retrievals/index.ts',
  ],
};
