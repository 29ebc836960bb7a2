/**
 * Names that say a value is the current user, as data (read by src/languages/javascript/frameworks/summary.ts;
 * the endpoint feature's gate in frameworks/extract.ts looks for the same names in a file's text).
 */

/** A member of the request that holds who the caller is (`req.user`, `ctx.state.auth`, `req.isAuthenticated()`). */
export const IDENTITY_SEGMENT =
  /^(user|auth|currentUser|userId|user_id|isAuthenticated|isAuthenticated\(\)|account|principal|claims|identity|jwtPayload|session_user)$/;

/** Variables whose name says they hold the current user (`currentUser.id`, `viewer.role`). */
export const IDENTITY_NAMES = /^(currentUser|authUser|sessionUser|loggedInUser|authenticatedUser|principal|authedUser|viewer)$/;

/** NestJS parameter decorators that inject the current user (`@CurrentUser() user`). */
export const IDENTITY_DECORATORS = /^(User|CurrentUser|GetUser|AuthUser|ReqUser|Session|Principal|AuthenticatedUser|UserId|CurrentUserId)$/;

/** Request headers that carry credentials (`req.headers.authorization`, `req.headers['x-access-token']`). */
export const AUTH_HEADER = /authorization|api-key|auth-token|x-access-token/i;
