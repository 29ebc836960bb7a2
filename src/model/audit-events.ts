import { memoizeByString } from './memo.js';
import type { SecurityEventKind, WriteOp } from './audit-facts.js';
import type { CalleeTable } from './audit-logging.js';

/**
 * Security events as data (SOC2-003): library calls that check credentials, log in or out, change passwords or
 * roles; models whose writes are account, role or key events; function names that say what a write means.
 * Callees are dotted with `()` for inner calls. Samples are tested in test/audit/tables.test.ts.
 */

export interface EventTable extends CalleeTable {
  kind: SecurityEventKind | 'token-issue';
}

export const EVENT_CALLS: readonly EventTable[] = [
  {
    id: 'credential-check',
    kind: 'login',
    pattern:
      /^(?:[\w$]+\.)*(?:bcrypt|bCrypt|BCrypt|Bcrypt|bcryptjs|argon2|argon|scrypt|bcrypt_sha256|pbkdf2_sha256|pwd_context|password_context|pwd_hasher|passwordHasher|PasswordHasher\(\)|ph)\.(?:compare|compareSync|verify|checkpw|check_password_hash)$|^(?:[\w$]+\.)*(?:check_password|check_password_hash|checkpw|verify_password)$|^(?:auth\.|django_auth\.)?authenticate$/,
    must: [
      'bcrypt.compare',
      'bcryptjs.compareSync',
      'bCrypt.compareSync',
      'argon2.verify',
      'bcrypt.checkpw',
      'user.check_password',
      'check_password_hash',
      'pwd_context.verify',
      'authenticate',
      'auth.authenticate',
      'PasswordHasher().verify',
    ],
    mustNot: ['passport.authenticate', 'bcrypt.hash', 'jwt.verify', 'this.authService.authenticate', 'argon2.hash', 'make_password'],
  },
  {
    id: 'login',
    kind: 'login',
    pattern: /^(?:(?:req|request)\.(?:login|logIn)|login|auth_login|django_login|login_user|flask_login\.login_user|auth\.login)$/,
    must: ['req.login', 'request.logIn', 'login', 'auth_login', 'login_user', 'auth.login'],
    mustNot: ['this.authService.login', 'passport.authenticate', 'loginForm', 'login_required'],
  },
  {
    id: 'logout',
    kind: 'logout',
    pattern:
      /^(?:(?:req|request|ctx)\.(?:logout|logOut)|(?:req|request)\.session\.destroy|logout|auth_logout|django_logout|logout_user|flask_login\.logout_user|auth\.logout)$/,
    must: ['req.logout', 'req.session.destroy', 'logout', 'logout_user', 'auth_logout', 'auth.logout'],
    mustNot: ['this.authService.logout', 'session.destroy', 'res.clearCookie'],
  },
  {
    id: 'password-change',
    kind: 'password-change',
    pattern: /^(?:[\w$]+\.)*(?:set_password|setPassword|changePassword|update_session_auth_hash)$|^update_session_auth_hash$/,
    must: ['user.set_password', 'request.user.set_password', 'user.setPassword', 'user.changePassword', 'update_session_auth_hash'],
    mustNot: ['set_unusable_password', 'bcrypt.hash', 'passwordReset'],
  },
  {
    id: 'role-change',
    kind: 'role-change',
    pattern:
      /^(?:[\w$]+\.)*(?:groups|user_permissions|roles|permissions)\.(?:add|remove|set|clear)$|^(?:[\w$]+\.)*(?:assign_role|remove_role|add_role|addRoleForUser|deleteRoleForUser|deleteRolesForUser|addPermissionForUser|deletePermissionForUser|assign_perm|remove_perm|addUserToGroup|removeUserFromGroup)$/,
    must: [
      'user.groups.add',
      'user.user_permissions.remove',
      'member.roles.set',
      'assign_role',
      'enforcer.addRoleForUser',
      'guardian.shortcuts.assign_perm',
      'assign_perm',
    ],
    mustNot: ['roles.includes', 'user.groups.filter', 'permissions.has', 'hasRole'],
  },
  {
    id: 'token-issue',
    kind: 'token-issue',
    pattern:
      /^(?:[\w$]+\.)*(?:jwt|jsonwebtoken|jwtService|jwt_service)\.(?:sign|signAsync|encode)$|^(?:[\w$]+\.)*(?:create_access_token|create_refresh_token|RefreshToken\.for_user|signToken|generateAccessToken)$/,
    must: ['jwt.sign', 'this.jwtService.sign', 'this.jwtService.signAsync', 'jwt.encode', 'create_access_token', 'RefreshToken.for_user'],
    mustNot: ['jwt.verify', 'jwt.decode', 'token.split'],
  },
];

/** A credential check (`bcrypt.compare`, `check_password`, `authenticate`): a login, unless it guards a password change. */
export function isCredentialCheck(callee: string): boolean {
  return EVENT_CALLS[0]!.pattern.test(callee);
}

/**
 * The current password, checked before a new one is set: a credential check with such an argument is part of a
 * password change (SOC2-003 reports it as one, never as a login).
 */
export const CURRENT_PASSWORD =
  /\b(?:old|current|existing|previous|prev|actual)_?(?:user_?)?(?:password|passwd|pwd|pass)\b|\b(?:old|current|existing|previous|prev|actual)(?:User)?(?:Password|Passwd|Pwd|Pass)\b/;
export const CURRENT_PASSWORD_SAMPLES = {
  must: [
    'request.user.check_password(form.cleaned_data["old_password"])',
    'bcrypt.compare(req.body.oldPassword, user.hash)',
    'user.check_password(current_password)',
    'argon2.verify(user.hash, currentPassword)',
    'pwd_context.verify(body.existing_pwd, user.hashed)',
  ],
  mustNot: [
    'bcrypt.compare(req.body.password, user.hash)',
    'check_password(password)',
    'authenticate(request, username=u, password=p)',
    'bcrypt.compare(newPassword, user.passwordHistory)',
    'verify_password(plain, hashed)',
  ],
};

/** A credential check or login call: the token issued on login is then part of the same event. */
export function eventOfCall(callee: string): SecurityEventKind | 'token-issue' | null {
  return eventOfCallRemembered(callee);
}

/** Asked for every call of every function (the same callees repeat across a codebase): remembered. */
const eventOfCallRemembered = memoizeByString(eventOfCallUncached);

function eventOfCallUncached(callee: string): SecurityEventKind | 'token-issue' | null {
  for (const table of EVENT_CALLS) if (table.pattern.test(callee)) return table.kind;
  return null;
}

/** Functions whose name says they log a user in: a token issued there is the login. */
export const LOGIN_FUNCTION =
  /^(?:_*)(?:do_?|api_?)?(log_?in|sign_?in|authenticate|auth|token|obtain_?token|access_?token|create_?token|issue_?token|local_?login|login_?user|user_?login|signin_?user|handle_?login|post_?login)(_?view|_?handler|_?controller|_?endpoint|_?route|_?api|_?user|_post)?$/i;
export const LOGIN_FUNCTION_SAMPLES = {
  must: ['login', 'signIn', 'sign_in', 'authenticate', 'loginUser', 'login_view', 'obtain_token', 'handleLogin', 'postLogin', 'do_login', 'login_post'],
  mustNot: ['logout', 'register', 'createArticle', 'refreshTokenRotation', 'verify_email'],
};

/** Optional handler-style prefix before the verb (`handleResetPassword`, `post_change_password`). */
const P = '^_*(?:handle|do|api|post|put|patch|delete|on|process|submit)?_?';
/** The same, or a snake_case word boundary after a route's own prefix (`cors_csrf_edit_password_post`). */
const PW = '(?:^_*(?:handle|do|api|post|put|patch|delete|on|process|submit)?_?|_)';
/** Second factor names, for both word orders (`disable_mfa`, `mfa_disable`, `totp_setup_post`). */
const MFA = '(?:mfa|2fa|two_?factor|totp|otp)';

/** Function names that give a write its security meaning (`def reset_password` + `user.save()`). */
export const EVENT_FUNCTION_NAMES: ReadonlyArray<{ kind: SecurityEventKind; pattern: RegExp; must: string[]; mustNot: string[] }> = [
  {
    kind: 'password-reset',
    pattern: new RegExp(`${P}(reset_?(user_?)?(password|passwd|pwd|pw)|password_?reset|forgot_?(password|pwd|pw)|recover_?password)`, 'i'),
    must: ['resetPassword', 'password_reset_confirm', 'forgotPassword', 'handleResetPassword', 'resetPwSubmit', 'reset_pwd'],
    mustNot: ['resetCounter', 'password_policy', 'disable_force_password_reset'],
  },
  {
    kind: 'password-change',
    pattern: new RegExp(`${PW}(change|update|edit|set_?new|set|new)_?(user_?)?password|${P}password_?(change|update|edit)`, 'i'),
    must: [
      'changePassword',
      'update_password',
      'setNewPassword',
      'post_change_password',
      'edit_password_post',
      'cors_csrf_edit_password_post',
      'password_change',
    ],
    mustNot: ['passwordStrength', 'check_password', 'enable_force_password_reset', 'password_complexity'],
  },
  {
    kind: 'mfa-disable',
    pattern: new RegExp(`${P}(disable|deactivate|remove|reset|turn_?off)_?${MFA}|${P}${MFA}_?(disable|deactivate|remove|turn_?off)`, 'i'),
    must: ['disable2fa', 'disable_mfa', 'removeTwoFactor', 'deactivate_totp', 'mfa_disable', 'totp_disable_post'],
    mustNot: ['enable_mfa', 'verify_otp', 'mfa_is_enabled', 'mfa_reset_secret'],
  },
  {
    kind: 'mfa-enable',
    pattern: new RegExp(`${P}(enable|activate|setup|set_?up|confirm|turn_?on|register)_?${MFA}|${P}${MFA}_?(enable|activate|setup|set_?up|turn_?on)`, 'i'),
    must: ['enable2fa', 'setup_mfa', 'activateTwoFactor', 'confirm_totp', 'mfa_enable', 'totp_setup_post'],
    mustNot: ['disable_mfa', 'verify_otp', 'send_otp', 'mfa_is_enabled', 'mfa_validate'],
  },
  {
    kind: 'user-deactivate',
    pattern: new RegExp(`${P}(deactivate|disable|suspend|ban|block|lock)_?(user|account|member)`, 'i'),
    must: ['deactivateUser', 'suspend_account', 'banMember', 'lock_account'],
    mustNot: ['unlockScreen', 'blockPost'],
  },
  {
    kind: 'role-change',
    pattern: new RegExp(
      `${P}(assign|grant|revoke|add|remove|update|change|set|promote|demote|edit)_?(user_?)?(roles?|permissions?|groups?|admin|privileges?)$`,
      'i',
    ),
    must: ['assignRole', 'grant_permission', 'updateUserRoles', 'promote_admin', 'set_group', 'edit_permissions'],
    mustNot: ['listRoles', 'getPermissions', 'check_permission'],
  },
  {
    kind: 'api-key-revoke',
    pattern: new RegExp(`${P}(revoke|delete|remove|rotate|invalidate)_?(api_?key|access_?token|api_?token|personal_?token|token)s?$`, 'i'),
    must: ['revokeApiKey', 'delete_api_token', 'revokeToken'],
    mustNot: ['refreshToken', 'verifyToken'],
  },
  {
    kind: 'logout',
    pattern: new RegExp(`${P}(log_?out|sign_?out)(_?all|_?everywhere|_?user|_?view)?$`, 'i'),
    must: ['logout', 'logoutAll', 'sign_out', 'handleLogout'],
    mustNot: ['logoutRedirectUrl', 'login'],
  },
  {
    kind: 'api-key-create',
    pattern: new RegExp(`${P}(create|generate|issue|new|add)_?(api_?key|api_?token|personal_?(access_?)?token)s?$`, 'i'),
    must: ['createApiKey', 'generate_api_token', 'newPersonalAccessToken'],
    mustNot: ['createArticle', 'verifyApiKey'],
  },
];

export function eventOfFunctionName(name: string): SecurityEventKind | null {
  for (const entry of EVENT_FUNCTION_NAMES) if (entry.pattern.test(name)) return entry.kind;
  return null;
}

/** Models whose rows are accounts, roles or keys: creating or deleting one is a security event. */
export const USER_MODEL = /^(auth_?)?(user|users|account|accounts|member|members|custom_?user|app_?user|admin|admins|administrator|customer_?user)$/i;
export const ROLE_MODEL =
  /^(role|roles|permission|permissions|group|groups|user_?roles?|user_?groups?|role_?assignments?|memberships?|user_?permissions?|team_?members?)$/i;
export const KEY_MODEL =
  /^(api_?key|api_?keys|apikey|apikeys|access_?token|access_?tokens|api_?token|api_?tokens|personal_?access_?tokens?|auth_?token|auth_?tokens|token|tokens|application_?token|application_?tokens)$/i;
export const MODEL_SAMPLES = {
  user: { must: ['User', 'users', 'Account', 'CustomUser', 'auth_user'], mustNot: ['UserProfile', 'Article', 'UserSession'] },
  role: { must: ['Role', 'user_roles', 'Permission', 'Membership', 'Group'], mustNot: ['RoleDescription', 'Article'] },
  key: { must: ['ApiKey', 'api_keys', 'Token', 'PersonalAccessToken'], mustNot: ['RefreshTokenFamily', 'Tokenizer'] },
};

/** The security event a write is, from its model: creating or deleting users, roles, API keys. */
export function eventOfWrite(model: string | undefined, op: WriteOp): SecurityEventKind | null {
  if (!model) return null;
  if (USER_MODEL.test(model)) return op === 'create' ? 'user-create' : op === 'delete' ? 'user-delete' : null;
  if (ROLE_MODEL.test(model)) return op === 'create' || op === 'delete' || op === 'upsert' ? 'role-change' : null;
  if (KEY_MODEL.test(model)) return op === 'create' || op === 'upsert' || op === 'save' ? 'api-key-create' : op === 'delete' ? 'api-key-revoke' : null;
  return null;
}

export const EVENT_WORDS: Record<SecurityEventKind, string> = {
  login: 'login (credential check)',
  logout: 'logout',
  'password-change': 'password change',
  'password-reset': 'password reset',
  'role-change': 'role or permission change',
  'user-create': 'user creation',
  'user-delete': 'user deletion',
  'user-deactivate': 'user deactivation',
  'api-key-create': 'API key or token creation',
  'api-key-revoke': 'API key or token revocation',
  'mfa-enable': 'MFA enablement',
  'mfa-disable': 'MFA disablement',
};

/**
 * Logins and logouts written by hand (SOC2-003): the user put into or taken out of the session, or the session or
 * token cookie set or cleared. `session['user_id'] = user.id` after a password compare is the login even when the
 * compare is not a library call; `session.clear()`, `session.pop('user_id')`, `req.session.destroy`,
 * `delete_cookie('sessionid')` end the session.
 */
export const SESSION_USER_KEY =
  /^(user|users?_?id|uid|userid|username|user_?name|logged_?in|is_?logged_?in|authenticated|is_?authenticated|account_?id|member_?id|current_?user|auth_?user|login)$/i;
export const SESSION_USER_KEY_SAMPLES = {
  must: ['user', 'user_id', 'userId', 'uid', 'logged_in', 'isLoggedIn', 'username', 'account_id'],
  mustNot: ['cart', 'last_visited', 'csrf_token', 'theme', 'flash', 'next', 'lang'],
};

/** A compare of a credential in the same function: what makes a session write a login rather than a preference. */
export const CREDENTIAL_WORD = /\b\w*(?:password|passwd|passwort|pwd|passcode|otp|totp)\w*\b/i;

/** Calls that end a session: the whole session cleared or destroyed. */
export const SESSION_END_CALL =
  /^(?:flask\.)?session\.clear$|^(?:request\.session|req\.session|ctx\.session|self\.request\.session)\.(?:clear|flush|destroy|invalidate)$|^(?:[\w$]+\.)*(?:invalidate_session|clear_session|destroy_session)$|^(?:pyramid\.security\.)?forget$/;
export const SESSION_END_SAMPLES = {
  must: ['session.clear', 'request.session.flush', 'req.session.destroy', 'req.session.invalidate', 'forget', 'auth.invalidate_session'],
  // A bare `session` may be SQLAlchemy's: its flush/invalidate write or drop connections, they end no login.
  mustNot: [
    'session.get',
    'cache.clear',
    'session.commit',
    'session.flush',
    'session.invalidate',
    'db.session.flush',
    'list.clear',
    'res.cookie',
    'cache.forget',
  ],
};

/** A cookie cleared or set: a session end or a session start when the cookie is a session or token cookie. */
export const COOKIE_CLEAR_CALL = /(?:^|\.)(?:clearCookie|delete_cookie)$/;
export const COOKIE_SET_CALL = /^(?:res|response|resp|reply|ctx\.cookies|[\w$]*[Rr]esponse)\.(?:cookie|set_cookie|setCookie|set)$/;

/** `session.pop('user_id')` / `session.pop('logged_in', None)`: the user taken out of the session. */
export const SESSION_POP_CALL = /^(?:(?:flask\.)?session|request\.session|req\.session|self\.request\.session)\.(?:pop|remove)$/;

/** A cookie name of a session or token (a `remember`/preference cookie is not one). */
export const SESSION_COOKIE =
  /(^|[-_.])(session|sessionid|sess|sid|connect\.sid|token|jwt|auth|access_?token|refresh_?token|id_?token|user_?id)([-_.]|$)|^(sid|jwt|token|session)$|^(auth|access|refresh|session|user|login)(token|session|sid|jwt)$/i;
