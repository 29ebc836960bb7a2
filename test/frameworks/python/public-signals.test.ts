import { describe, expect, it } from 'vitest';
import { ACCOUNT_STATE, ACCOUNT_STATE_SAMPLES } from '../../../src/languages/python/frameworks/extract.js';
import {
  DECORATOR_WRAPPER,
  LOGIN_REDIRECT_SAMPLES,
  LOGIN_REDIRECT,
  SIGNATURE_CHECK,
  SIGNATURE_CHECK_SAMPLES,
} from '../../../src/languages/python/tables/guards.js';
import {
  CLIENT_AUTHZ_SAMPLES,
  CREDENTIAL_INPUT_SAMPLES,
  NO_AUTH_NEEDED_SAMPLES,
  clientAuthz,
  credentialInput,
  declaresNoAuth,
} from '../../../src/languages/python/frameworks/handler-facts.js';
import { LEGAL_PAGE_PATH } from '../../../src/model/endpoint-public.js';

describe('Python public-by-design signals', () => {
  it.each(CREDENTIAL_INPUT_SAMPLES.match)('a credential the client sends, checked: $body', ({ body, params }) => {
    expect(
      credentialInput(
        body,
        params.map((name) => ({ name })),
      ),
    ).toBeDefined();
  });
  it.each(CREDENTIAL_INPUT_SAMPLES.noMatch)('no credential input: $body', ({ body, params }) => {
    expect(
      credentialInput(
        body,
        params.map((name) => ({ name })),
      ),
    ).toBeUndefined();
  });
  it.each(NO_AUTH_NEEDED_SAMPLES.match)('documented public: %s', (text) => expect(declaresNoAuth(text)).toBe(true));
  it.each(NO_AUTH_NEEDED_SAMPLES.noMatch)('not documented public: %s', (text) => expect(declaresNoAuth(text)).toBe(false));
  it.each(SIGNATURE_CHECK_SAMPLES.match)('signature check: %s', (text) => expect(SIGNATURE_CHECK.test(text)).toBe(true));
  it.each(SIGNATURE_CHECK_SAMPLES.noMatch)('no signature check: %s', (text) => expect(SIGNATURE_CHECK.test(text)).toBe(false));
  it.each(LOGIN_REDIRECT_SAMPLES.match)('redirect to sign-in: %s', (text) => expect(LOGIN_REDIRECT.test(text)).toBe(true));
  it.each(LOGIN_REDIRECT_SAMPLES.noMatch)('no redirect to sign-in: %s', (text) => expect(LOGIN_REDIRECT.test(text)).toBe(false));
  it.each(ACCOUNT_STATE_SAMPLES.match)('account state: %s', (text) => expect(ACCOUNT_STATE.test(text)).toBe(true));
  it.each(ACCOUNT_STATE_SAMPLES.noMatch)('not account state: %s', (text) => expect(ACCOUNT_STATE.test(text)).toBe(false));
  it('a decorator wrapper calls the wrapped view with its arguments', () => {
    expect(DECORATOR_WRAPPER.test('return f(*args, **kwargs)')).toBe(true);
    expect(DECORATOR_WRAPPER.test('return render(request, "x.html")')).toBe(false);
  });
  it.each(LEGAL_PAGE_PATH.must)('legal page: %s', (p) => expect(LEGAL_PAGE_PATH.pattern.test(p)).toBe(true));
  it.each(LEGAL_PAGE_PATH.mustNot)('not a legal page: %s', (p) => expect(LEGAL_PAGE_PATH.pattern.test(p)).toBe(false));
  it.each(CLIENT_AUTHZ_SAMPLES.match)('access decided by client data: %s', (body) => expect(clientAuthz(body, 1)).toBeDefined());
  it.each(CLIENT_AUTHZ_SAMPLES.noMatch)('no client-controlled authorisation: %s', (body) => expect(clientAuthz(body, 1)).toBeUndefined());
});
