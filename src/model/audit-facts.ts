import type { Range } from '../types.js';

/**
 * Audit facts (SOC2-003, SOC2-010; read by control evidence for CC7.2/PI1.3): for every function of a file, the
 * security events it performs, the data writes it makes, the logging and audit calls it has and the project
 * functions it calls; plus project-wide audit mechanisms (django-auditlog registration, ORM hooks, signal
 * receivers). Language-neutral and serialisable; src/model/audit-graph.ts joins them into a call graph.
 */

export type SecurityEventKind =
  | 'login' // a credential check (bcrypt.compare, check_password, authenticate) or a login (login_user, req.login)
  | 'logout'
  | 'password-change'
  | 'password-reset'
  | 'role-change'
  | 'user-create'
  | 'user-delete'
  | 'user-deactivate'
  | 'api-key-create'
  | 'api-key-revoke'
  | 'mfa-enable'
  | 'mfa-disable';

export interface SecurityEvent {
  kind: SecurityEventKind;
  /** The call or construct as written (`bcrypt.compare`, `login_user`, `prisma.user.delete`, `def reset_password`). */
  api: string;
  /** How it was recognised: a known call, a write to a user/role/key model, or the function's name. */
  via: 'call' | 'write' | 'name';
  range: Range;
}

export type WriteOp = 'create' | 'update' | 'delete' | 'upsert' | 'save';

export interface DataWrite {
  /** `prisma`, `typeorm`, `sequelize`, `mongoose`, `orm` (Sequelize or Mongoose), `knex`, `sqlalchemy`, `django`, `sql`. */
  orm: string;
  /** Model, entity or table when known (`User`, `article`, `orders`). */
  model?: string;
  op: WriteOp;
  /** The call as written (`prisma.user.delete`, `User.objects.filter().update`, `db.session.add`). */
  api: string;
  range: Range;
}

/** `audit`: an audit helper, decorator or audit-record write; `logger`: a logging library; `console`: console.* / print. */
export type LogStrength = 'audit' | 'logger' | 'console';

export interface LogCall {
  strength: LogStrength;
  /** The call or decorator as written (`logger.info`, `this.auditService.record`, `@audit_log`). */
  api: string;
  line: number;
}

/** A call that may reach another function of the project. */
export interface CallRef {
  /** The called function or method name (last segment): `createUser`, `create`, `delete_user`. */
  name: string;
  /** The segment before it (`usersService`, `user_service`, `UserService()`); absent for plain calls and `this.x()`/`self.x()`. */
  receiver?: string;
  /** `this.x()` / `self.x()`: a method of the same class. */
  self?: boolean;
  /** The module the called name (or its receiver) is imported from (`./users.service`, `.crud`, `app.services`). */
  module?: string;
  /** The imported name (`user_service` in `from app.services import user_service`). */
  imported?: string;
  line: number;
}

/** Why a function is taken for a request handler when the endpoint model has none for it. */
export type HandlerHint =
  | 'req-res' // (req, res) / (ctx, next) parameters
  | 'route-callback' // an inline callback of app.get/router.post/…
  | 'route-decorator' // @app.route, @router.post, @api_view
  | 'controller-method' // NestJS @Get/@Post/… method
  | 'django-view' // a module-level function whose first parameter is `request`
  | 'view-method' // get/post/…/perform_create of a View/ViewSet/APIView class
  | 'auth-callback'; // a passport strategy's verify callback or `validate()` (called by the framework on login)

export interface AuditFunction {
  name: string;
  /** `Class.method` for methods, the name otherwise (`<anonymous>` callbacks keep their line: `<anonymous>@12`). */
  qualifiedName: string;
  className?: string;
  range: Range;
  exported: boolean;
  /** Decorators as written without `@` (`audit_log(action="delete")`, `Post(':id')`). */
  decorators: string[];
  handlerHint?: HandlerHint;
  events: SecurityEvent[];
  writes: DataWrite[];
  logs: LogCall[];
  calls: CallRef[];
}

export type AuditMechanismKind =
  | 'model-history' // auditlog.register, HistoricalRecords(), reversion.register, pghistory.track, continuum, easyaudit
  | 'orm-listener' // SQLAlchemy event listeners, Prisma $use/$extends, TypeORM subscribers, Sequelize/Mongoose hooks, Django post_save receivers that log
  | 'auth-signal' // user_logged_in / user_logged_out / user_login_failed receivers that log, django-axes
  | 'db-trigger' // CREATE TRIGGER in a migration
  | 'request-audit'; // a request interceptor registered for the whole app (APP_INTERCEPTOR, useGlobalInterceptors) whose class records audit entries

export interface AuditMechanism {
  kind: AuditMechanismKind;
  /** As written: `auditlog.register`, `HistoricalRecords`, `prisma.$use`, `@EventSubscriber`, `user_logged_in`. */
  api: string;
  /** Models covered; empty = every model (or every auth event for auth-signal). */
  models: string[];
  /** auth-signal: the events covered (login, logout, login failure). */
  events?: Array<'login' | 'logout' | 'login-failure'>;
  /** request-audit: the interceptor class registered; it counts only when that class records audit entries. */
  className?: string;
  range: Range;
}

export interface AuditFacts {
  functions: AuditFunction[];
  mechanisms: AuditMechanism[];
  /** Classes whose `intercept()` / `use()` method records an audit entry or logs (request-level audit). */
  auditingClasses?: string[];
}
