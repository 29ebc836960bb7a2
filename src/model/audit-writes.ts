import type { WriteOp } from './audit-facts.js';

/**
 * Data writes as data (SOC2-010): ORM and driver write methods per library, raw SQL writes, and the tables that
 * are not business records (sessions, caches, rate-limit counters, migrations) or are the audit trail itself.
 * Callees are dotted with `()` for inner calls (`db.query().filter().update`). Samples: test/audit/tables.test.ts.
 */

export interface WriteMatch {
  orm: string;
  model?: string;
  op: WriteOp;
}

export interface WriteTable {
  id: string;
  language: 'javascript' | 'python';
  classify: (parts: string[]) => WriteMatch | null;
  must: string[];
  mustNot: string[];
}

const OP: Record<string, WriteOp> = {
  create: 'create',
  createMany: 'create',
  createManyAndReturn: 'create',
  insert: 'create',
  insertMany: 'create',
  insertOne: 'create',
  bulkCreate: 'create',
  bulk_create: 'create',
  add: 'create',
  add_all: 'create',
  insert_one: 'create',
  insert_many: 'create',
  get_or_create: 'upsert',
  create_user: 'create',
  create_superuser: 'create',
  update: 'update',
  updateMany: 'update',
  updateOne: 'update',
  update_one: 'update',
  update_many: 'update',
  bulk_update: 'update',
  findByIdAndUpdate: 'update',
  findOneAndUpdate: 'update',
  findOneAndReplace: 'update',
  replaceOne: 'update',
  replace_one: 'update',
  find_one_and_update: 'update',
  increment: 'update',
  decrement: 'update',
  restore: 'update',
  merge: 'upsert',
  bulkWrite: 'update',
  upsert: 'upsert',
  update_or_create: 'upsert',
  save: 'save',
  delete: 'delete',
  deleteMany: 'delete',
  deleteOne: 'delete',
  delete_one: 'delete',
  delete_many: 'delete',
  destroy: 'delete',
  remove: 'delete',
  softDelete: 'delete',
  softRemove: 'delete',
  del: 'delete',
  findByIdAndDelete: 'delete',
  findByIdAndRemove: 'delete',
  findOneAndDelete: 'delete',
  findOneAndRemove: 'delete',
  find_one_and_delete: 'delete',
  truncate: 'delete',
};

function op(name: string): WriteOp | undefined {
  return Object.hasOwn(OP, name) ? OP[name] : undefined;
}

function isIdentifier(s: string | undefined): s is string {
  return s !== undefined && /^[A-Za-z_$][\w$]*$/.test(s);
}

/** `userRepository` → `user`, `usersRepo` → `users`, `userModel` → `user`. */
function stripSuffix(name: string, suffix: RegExp): string {
  return name.replace(/^_+/, '').replace(suffix, '');
}

/** Instance receivers that are never model records (a session, a cache, a file, a hash). */
const NOT_A_RECORD =
  /^(req|request|res|response|session|sessions|cache|file|files|f|fs|image|img|storage|canvas|workbook|wb|stream|socket|ws|map|set|hash|hmac|cipher|form_?data|params|headers|cookies|store|self|this|super\(\)|super|cls|tmp|temp|buffer|zip|archive|doc|document|el|element|node|pdf)$/i;

const JS_BUILTINS =
  /^(Object|Array|Promise|JSON|Reflect|Map|Set|WeakMap|Math|Date|Buffer|Number|String|Symbol|Intl|Atomics|Proxy|URL|URLSearchParams|Headers|FormData|Response|Request|Blob|File|Error)$/;

const MONGOOSE_ONLY = new Set([
  'insertMany',
  'updateOne',
  'updateMany',
  'deleteOne',
  'deleteMany',
  'findByIdAndUpdate',
  'findByIdAndDelete',
  'findByIdAndRemove',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndRemove',
  'findOneAndReplace',
  'replaceOne',
  'bulkWrite',
]);
const SEQUELIZE_ONLY = new Set(['bulkCreate', 'destroy', 'upsert', 'increment', 'decrement', 'restore']);

export const JS_WRITES: readonly WriteTable[] = [
  {
    id: 'prisma',
    language: 'javascript',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const client = p[p.length - 3];
      if (p.length < 3 || !client || !/prisma|^(tx|trx|db|client|ctx)$/i.test(client) || !isIdentifier(p[p.length - 2])) return null;
      if (!/^(create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)$/.test(m)) return null;
      return { orm: 'prisma', model: p[p.length - 2]!, op: op(m)! };
    },
    must: ['prisma.user.create', 'this.prisma.article.deleteMany', 'tx.comment.update', 'this.prismaService.post.upsert'],
    mustNot: ['prisma.user.findMany', 'prisma.$transaction', 'this.users.create', 'arr.delete'],
  },
  {
    id: 'typeorm',
    language: 'javascript',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const recv = p[p.length - 2];
      if (!recv || !/^(save|insert|update|delete|remove|softDelete|softRemove|upsert|restore|increment|decrement)$/.test(m)) return null;
      if (/(Repository|Repo|repository|repo)$/.test(recv))
        return { orm: 'typeorm', model: stripSuffix(recv, /_?(Repository|Repo|repository|repo)$/) || undefined, op: op(m)! } as WriteMatch;
      if (/^(manager|entityManager|em|getManager\(\)|getRepository\(\)|queryRunner)$/.test(recv)) return { orm: 'typeorm', op: op(m)! };
      return null;
    },
    must: ['this.userRepository.save', 'this.usersRepo.delete', 'articleRepository.softDelete', 'manager.save', 'getRepository().remove'],
    mustNot: ['this.userRepository.findOne', 'repository.createQueryBuilder', 'this.users.save'],
  },
  {
    id: 'model-static',
    language: 'javascript',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const recv = p[p.length - 2];
      if (p.length < 2 || !isIdentifier(recv) || JS_BUILTINS.test(recv)) return null;
      if (
        !/^(create|bulkCreate|update|destroy|upsert|insertMany|updateOne|updateMany|deleteOne|deleteMany|findByIdAndUpdate|findByIdAndDelete|findByIdAndRemove|findOneAndUpdate|findOneAndDelete|findOneAndRemove|findOneAndReplace|replaceOne|bulkWrite|increment|decrement)$/.test(
          m,
        )
      )
        return null;
      const injected = /^_*[a-z]\w*Model$/.test(recv);
      if (!/^[A-Z]/.test(recv) && !injected) return null;
      const orm = MONGOOSE_ONLY.has(m) ? 'mongoose' : SEQUELIZE_ONLY.has(m) ? 'sequelize' : 'orm';
      return { orm, model: injected ? stripSuffix(recv, /Model$/) : recv, op: op(m)! };
    },
    must: ['User.create', 'Article.findByIdAndUpdate', 'models.Order.destroy', 'this.userModel.deleteOne', 'Comment.bulkCreate'],
    mustNot: ['Object.create', 'User.findAll', 'Promise.create', 'user.create', 'Array.update'],
  },
  {
    id: 'model-instance',
    language: 'javascript',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const recv = p[p.length - 2];
      if (p.length < 2 || !isIdentifier(recv) || !/^[a-z_$]/.test(recv) || NOT_A_RECORD.test(recv) || p.includes('session')) return null;
      if (!/^(save|destroy|deleteOne|softRemove)$/.test(m)) return null;
      return { orm: m === 'destroy' ? 'sequelize' : 'orm', model: recv.replace(/^(new|updated|existing|saved|the|my)(?=[A-Z])/, ''), op: op(m)! };
    },
    must: ['user.save', 'article.destroy', 'this.comment.deleteOne', 'newUser.save'],
    mustNot: ['req.session.save', 'cache.save', 'map.delete', 'User.save', 'file.save'],
  },
  {
    id: 'mongodb-driver',
    language: 'javascript',
    classify: (p) => {
      const m = p[p.length - 1]!;
      if (!/^(insertOne|insertMany|updateOne|updateMany|replaceOne|deleteOne|deleteMany|findOneAndUpdate|findOneAndDelete|bulkWrite)$/.test(m)) return null;
      const recv = p[p.length - 2];
      if (!recv || (recv !== 'collection()' && !/(collection|Collection|coll)$/.test(recv) && p[p.length - 3] !== 'db')) return null;
      return {
        orm: 'mongodb',
        model: recv.endsWith('()') ? undefined : stripSuffix(recv, /_?(collection|Collection|coll)$/) || undefined,
        op: op(m)!,
      } as WriteMatch;
    },
    must: ['db.collection().insertOne', 'usersCollection.deleteMany', 'db.orders.updateOne'],
    mustNot: ['db.collection().find', 'collection.countDocuments'],
  },
];

export const PY_WRITES: readonly WriteTable[] = [
  {
    id: 'django-manager',
    language: 'python',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const i = p.findIndex((s) => /^(objects|\w+_objects|objects\(\))$/.test(s));
      if (i < 1 || !/^(create|bulk_create|bulk_update|update|delete|get_or_create|update_or_create|create_user|create_superuser)$/.test(m)) return null;
      return { orm: 'django', model: p[i - 1]!.replace(/\(\)$/, ''), op: op(m)! };
    },
    must: [
      'User.objects.create',
      'Article.objects.filter().update',
      'Comment.objects.filter().delete',
      'Order.objects.bulk_create',
      'User.objects.create_user',
      'Tag.all_objects.get_or_create',
    ],
    mustNot: ['User.objects.filter', 'Article.objects.get', 'objects.update'],
  },
  {
    id: 'sqlalchemy-session',
    language: 'python',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const recv = p[p.length - 2];
      if (!recv || !/^(session|db|sess|db_session|dbsession|async_session|tx|s)$|session$/i.test(recv) || p.includes('request')) return null;
      if (!/^(add|add_all|delete|merge)$/.test(m)) return null;
      return { orm: 'sqlalchemy', op: op(m)! };
    },
    must: ['db.session.add', 'session.delete', 'self.session.merge', 'db.add_all', 'db.delete'],
    mustNot: ['db.session.query', 'request.session.delete', 'session.commit', 'cache.delete'],
  },
  {
    id: 'sqlalchemy-query',
    language: 'python',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const i = p.findIndex((s) => s === 'query' || s === 'query()');
      if (i < 1 || !/^(update|delete)$/.test(m) || (i === p.length - 2 && p[i] === 'query')) return null;
      return { orm: 'sqlalchemy', model: p[i] === 'query' ? p[i - 1] : undefined, op: op(m)! } as WriteMatch;
    },
    must: ['User.query.filter_by().delete', 'db.query().filter().update', 'session.query().filter().delete'],
    mustNot: ['User.query.delete', 'db.query().filter().first', 'query.update'],
  },
  {
    id: 'instance',
    language: 'python',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const recv = p[p.length - 2];
      if (p.length < 2 || !isIdentifier(recv) || NOT_A_RECORD.test(recv) || /session|cache/i.test(recv) || !/^(save|delete)$/.test(m)) return null;
      if (/^[A-Z]/.test(recv)) return null;
      const unknown = /^(form|serializer|instance|obj|object|item|record|entry|model|data)$/i.test(recv);
      const model = unknown ? undefined : recv.replace(/^(new|updated|existing|saved|the|my)_/, '');
      return { orm: recv === 'serializer' || recv === 'form' ? `django ${recv}` : 'django', model, op: op(m)! } as WriteMatch;
    },
    must: ['user.save', 'article.delete', 'self.object.delete', 'serializer.save', 'form.save', 'new_user.save'],
    mustNot: ['request.session.save', 'self.save', 'cache.delete', 'file.save', 'super().save', 'User.save'],
  },
  {
    id: 'pymongo',
    language: 'python',
    classify: (p) => {
      const m = p[p.length - 1]!;
      if (!/^(insert_one|insert_many|update_one|update_many|replace_one|delete_one|delete_many|find_one_and_update|find_one_and_delete)$/.test(m)) return null;
      const recv = p[p.length - 2];
      return { orm: 'mongodb', model: recv && isIdentifier(recv) ? recv : undefined, op: op(m)! } as WriteMatch;
    },
    must: ['db.users.insert_one', 'collection.delete_many'],
    mustNot: ['db.users.find_one'],
  },
  {
    id: 'model-classmethod',
    language: 'python',
    classify: (p) => {
      const m = p[p.length - 1]!;
      const recv = p[p.length - 2];
      if (p.length !== 2 || !isIdentifier(recv) || !/^[A-Z][a-z]/.test(recv) || !/^(create|insert|bulk_create|insert_many|delete_by_id|update|delete)$/.test(m))
        return null;
      return { orm: 'orm', model: recv, op: op(m === 'delete_by_id' ? 'delete' : m === 'insert_many' ? 'insertMany' : m)! };
    },
    must: ['User.create', 'Tweet.insert', 'Note.delete_by_id'],
    mustNot: ['User.get', 'user.create', 'JSONResponse.create', 'Q.update'],
  },
];

export function classifyWrite(language: 'javascript' | 'python', parts: string[]): WriteMatch | null {
  for (const table of language === 'python' ? PY_WRITES : JS_WRITES) {
    const hit = table.classify(parts);
    if (hit) return hit;
  }
  return null;
}

/** One table only: `@InjectRepository(User)` properties are TypeORM repositories whatever their name. */
export function classifyWriteWith(id: string, parts: string[]): WriteMatch | null {
  return [...JS_WRITES, ...PY_WRITES].find((t) => t.id === id)?.classify(parts) ?? null;
}

/** `INSERT INTO users …`, `UPDATE "orders" SET …`, `DELETE FROM sessions …` → the operation and table. */
const SQL_WRITE =
  /^\s*(?:WITH\b[\s\S]*?\)\s*)?(INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+[`"[]?(?:\w+[`"\]]?\.[`"[]?)?(\w+)/i;
export const SQL_WRITE_SAMPLES = {
  must: ['INSERT INTO users (email) VALUES ($1)', 'update "orders" set status = ?', 'DELETE FROM public.sessions WHERE id = %s', 'REPLACE INTO t VALUES (1)'],
  mustNot: ['SELECT * FROM users', 'CREATE TABLE users (id int)', 'Update your profile', 'update'],
};

export function parseSqlWrite(sql: string): WriteMatch | null {
  const m = SQL_WRITE.exec(sql);
  if (!m || !/\s(VALUES|SET|WHERE|SELECT|\(|DEFAULT)|^\s*(DELETE|TRUNCATE)/i.test(sql)) return null;
  const verb = m[1]!.toUpperCase();
  const kind: WriteOp =
    verb.startsWith('INSERT') || verb.startsWith('REPLACE') ? 'create' : verb.startsWith('UPDATE') ? 'update' : verb.startsWith('MERGE') ? 'upsert' : 'delete';
  return { orm: 'sql', model: m[2]!, op: kind };
}

/** Tables that hold no business records: sessions, caches, rate-limit counters, migrations, locks, jobs. */
export const NON_BUSINESS_MODEL =
  /^(django_)?((\w+_)?sessions?|session_?store|caches?|cache_?entr(y|ies)|cache_?table|rate_?limits?|rate_?limit_?\w+|ratelimits?|throttles?|throttle_?\w+|login_?attempts?|migrations?|schema_?migrations?|django_migrations|knex_migrations(_lock)?|alembic_version|_prisma_migrations|sequelize_?meta|locks?|job_?locks?|celery_\w+|captchas?)$|^\w*captchas?(_?instance|_?model)?$/i;
/** The audit trail itself: writing there is the audit record, not a change to audit. */
export const AUDIT_MODEL =
  /(audit|^(log_?entry|log_?entries|logentry|activity|activities|activity_?logs?|event_?logs?|historical_?\w+|change_?logs?|action_?logs?|security_?events?|security_?logs?)|_?histor(y|ies))s?$|^audit/i;
export const MODEL_NAME_SAMPLES = {
  nonBusiness: {
    must: [
      'Session',
      'django_session',
      'authSession',
      'UserSession',
      'cache_entries',
      'RateLimit',
      'rate_limit_counters',
      'migrations',
      'knex_migrations',
      'alembic_version',
      'LoginAttempt',
      'captchaInstance',
      'ImageCaptcha',
    ],
    mustNot: ['User', 'Order', 'SessionNote', 'Article', 'Possession'],
  },
  audit: {
    must: ['AuditLog', 'audit_logs', 'auditEntry', 'LogEntry', 'ActivityLog', 'HistoricalOrder', 'SecurityEvent', 'NoteHistory', 'order_history'],
    mustNot: ['User', 'Order', 'Auditorium', 'Blog', 'Historian'],
  },
};

export function isNonBusinessModel(model: string | undefined): boolean {
  // `authSession`, `UserSession`: a camel-case word ending in Session.
  return model !== undefined && (NON_BUSINESS_MODEL.test(model) || /^\w*[a-z0-9]Sessions?$/.test(model));
}

export function isAuditModel(model: string | undefined): boolean {
  return model !== undefined && !/^auditori/i.test(model) && AUDIT_MODEL.test(model);
}
