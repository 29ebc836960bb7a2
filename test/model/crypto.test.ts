import { describe, expect, it } from 'vitest';
import {
  DIGEST_CALLEE_SAMPLES,
  ENCRYPTION_MARKER_SAMPLES,
  ENCRYPT_CALLEE_SAMPLES,
  FAST_HASH_SAMPLES,
  INSECURE_RANDOM_SAMPLES,
  LOGGER_SAMPLES,
  PASSWORD_HASH_SAMPLES,
  SECRET_TARGET_SAMPLES,
  WEAK_CIPHER_SAMPLES,
  WORKING_DIRECTORY_SAMPLES,
  declaresEncryption,
  digestOfCallee,
  isEcb,
  isEncryptCallee,
  isFastHash,
  isInsecureRandomCallee,
  isLoggerCallee,
  isPasswordHashCallee,
  isSecretTargetName,
  isWeakCipher,
  isWorkingDirectoryCallee,
  type Samples,
} from '../../src/model/crypto.js';

const TABLES: Array<{ table: string; samples: Samples; test: (s: string) => boolean }> = [
  { table: 'fast hash', samples: FAST_HASH_SAMPLES, test: isFastHash },
  { table: 'digest callee', samples: DIGEST_CALLEE_SAMPLES, test: (s) => digestOfCallee(s) !== null },
  { table: 'password hash callee', samples: PASSWORD_HASH_SAMPLES, test: isPasswordHashCallee },
  { table: 'weak cipher', samples: WEAK_CIPHER_SAMPLES, test: isWeakCipher },
  { table: 'encryption marker', samples: ENCRYPTION_MARKER_SAMPLES, test: declaresEncryption },
  { table: 'encrypt callee', samples: ENCRYPT_CALLEE_SAMPLES, test: isEncryptCallee },
  { table: 'logger', samples: LOGGER_SAMPLES, test: isLoggerCallee },
  { table: 'insecure random', samples: INSECURE_RANDOM_SAMPLES, test: isInsecureRandomCallee },
  { table: 'secret target name', samples: SECRET_TARGET_SAMPLES, test: isSecretTargetName },
  { table: 'working directory callee', samples: WORKING_DIRECTORY_SAMPLES, test: isWorkingDirectoryCallee },
];

describe.each(TABLES)('$table', ({ samples, test }) => {
  it.each(samples.match)('matches %s', (s) => {
    expect(test(s)).toBe(true);
  });
  it.each(samples.noMatch)('does not match %s', (s) => {
    expect(test(s)).toBe(false);
  });
});

describe('digestOfCallee', () => {
  it.each([
    ['hashlib.md5', 'md5'],
    ['CryptoJS.SHA256', 'sha256'],
    ['hashlib.sha3_256', 'sha3256'],
  ])('%s → %s', (callee, algorithm) => {
    expect(digestOfCallee(callee)).toBe(algorithm);
  });
});

describe('isEcb', () => {
  it.each([
    ['aes-128-ecb', undefined, true],
    ['aes', 'ecb', true],
    ['aes', 'MODE_ECB', true],
    ['aes-256-gcm', undefined, false],
    ['aes', 'cbc', false],
  ] as const)('%s / %s → %s', (algorithm, mode, expected) => {
    expect(isEcb(algorithm, mode)).toBe(expected);
  });
});
