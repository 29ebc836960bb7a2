import { describe, expect, it } from 'vitest';
import {
  PASSWORD_NAME_SAMPLES,
  SENSITIVE_NAME_PATTERNS,
  classifySensitiveName,
  isPasswordName,
  nameWords,
  sensitiveNameOptions,
} from '../../src/model/sensitive-data.js';

describe('SENSITIVE_NAME_PATTERNS', () => {
  const matches = SENSITIVE_NAME_PATTERNS.flatMap((p) => p.samples.match.map((name) => ({ category: p.category, name })));
  const noMatches = SENSITIVE_NAME_PATTERNS.flatMap((p) => p.samples.noMatch.map((name) => ({ category: p.category, name })));

  it.each(matches)('$name is a $category', ({ name, category }) => {
    expect(classifySensitiveName(name)?.category).toBe(category);
  });

  it.each(noMatches)('$name is not sensitive (sample of $category)', ({ name }) => {
    expect(classifySensitiveName(name)).toBeNull();
  });
});

describe('nameWords', () => {
  it.each([
    ['dateOfBirth', ['date', 'of', 'birth']],
    ['date_of_birth', ['date', 'of', 'birth']],
    ['SSN', ['ssn']],
    ['cardLast4', ['card', 'last4']],
    ['IBANNumber', ['iban', 'number']],
  ])('%s → %j', (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});

describe('rule options', () => {
  it('adds configured names and ignores configured ones', () => {
    const options = sensitiveNameOptions({ sensitiveNames: ['member_number'], ignoreNames: ['ssn'] });
    expect(classifySensitiveName('memberNumber', options)?.category).toBe('custom');
    expect(classifySensitiveName('ssn', options)).toBeNull();
    expect(classifySensitiveName('iban', options)?.category).toBe('bank-account');
  });

  it('ignores option values that are not lists of strings', () => {
    expect(sensitiveNameOptions({ sensitiveNames: 'ssn', ignoreNames: [1, 'x'] })).toEqual({ ignoreNames: ['x'] });
  });
});

describe('isPasswordName', () => {
  it.each(PASSWORD_NAME_SAMPLES.match)('%s is a password', (name) => {
    expect(isPasswordName(name)).toBe(true);
  });
  it.each(PASSWORD_NAME_SAMPLES.noMatch)('%s is not a password', (name) => {
    expect(isPasswordName(name)).toBe(false);
  });
});
