import type { Node } from '@babel/types';
import type { CryptoUse, DataModel, DataModelField, Orm } from '../../model/facts.js';
import {
  declaresEncryption,
  digestOfCallee,
  isEncryptCallee,
  isInsecureRandomCallee,
  isLoggerCallee,
  isPasswordHashCallee,
  isWorkingDirectoryCallee,
} from '../../model/crypto.js';
import { classifySensitiveName, isPasswordName } from '../../model/sensitive-data.js';
import { calleeName, flattenObject, functionName, isFunction, memberParts, propertyKey, rangeOf, sourceOf, staticString, unwrap, walkAst } from './ast.js';
import type { JsFeatureInput } from './feature-input.js';

/**
 * Data-protection facts of one JS/TS file (SOC2-005): ORM models with their fields (TypeORM, Sequelize,
 * Mongoose), digests and ciphers with algorithm/mode/IV, password hashing and password stores, insecure
 * randomness, browser-storage writes and logger calls with the names passed to them.
 */

const REQUEST_DATA = /\b(req|request|ctx\.request)\.(body|query|params)\b|\bawait\s+request\.json\(\)|\bformData\.get\(/;
/** `req.body.password = req.body.password.trim()` normalises input; it stores nothing. */
const REQUEST_OBJECT = /^(req|request|ctx|res|response|event|input|body|params|args|form|data|values|this\.form)$/;
const REQUEST_PART = new Set(['body', 'query', 'params', 'form', 'headers', 'session', 'state', 'props', 'dataset']);
const MODEL_WRITE = /(^|\.)(create|build|insert|insertOne|insertMany|save|update|updateOne|upsert|findOneAndUpdate|findByIdAndUpdate|bulkCreate)$/;
const HOOK_CALL = /(^|\.)(pre|beforeCreate|beforeSave|beforeUpdate|beforeBulkCreate|addHook|hook)$/;
const HOOK_DECORATOR = /^(BeforeInsert|BeforeUpdate|BeforeCreate|BeforeSave)$/;
const TYPEORM_COLUMN = /^(Column|PrimaryColumn|PrimaryGeneratedColumn|CreateDateColumn|UpdateDateColumn)$/;
/** Names of project helpers that may hash a password (judged by their bodies in SOC2-005). */
const PASSWORD_HELPER =
  /^(hash|digest|md5|sha1|sha256|encrypt|encode|hashPassword|hash_password|encryptPassword|encodePassword|passwordHash|makeHash|createHash)$/i;
const STORAGE = /^(?:window\.|globalThis\.|self\.)?(localStorage|sessionStorage)$/;

function decoratorName(d: Node): string | null {
  if (d.type !== 'Decorator') return null;
  const e = unwrap(d.expression);
  const parts = memberParts(e.type === 'CallExpression' ? e.callee : e);
  return parts ? parts[parts.length - 1]! : null;
}

/** Identifier names an expression reads (`req.body.password` → req, body, password), not `.length`. */
export function namesIn(node: Node | null | undefined): string[] {
  if (!node) return [];
  const out = new Set<string>();
  walkAst(node, (n, ancestors) => {
    if (isFunction(n)) return false;
    if (n.type === 'Identifier') {
      const parent = ancestors[ancestors.length - 1];
      if (parent && parent.type === 'ObjectProperty' && parent.key === n && !parent.shorthand) return;
      if (n.name !== 'length') out.add(n.name);
    } else if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && n.computed) {
      const key = staticString(n.property);
      if (key !== null) out.add(key);
    }
    return undefined;
  });
  return [...out];
}

interface Scoped {
  use: CryptoUse;
  fn: Node | null;
}

/** Methods called in `fn` with the variable `name` among their arguments: `this.usersService.update(user.id, user)` → update. */
function methodsReceiving(fn: Node, name: string): string[] {
  const found = new Set<string>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const c of n) walk(c);
      return;
    }
    const node = n as Node;
    if (typeof node.type !== 'string') return;
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.property.type === 'Identifier') {
      if (node.arguments.some((a) => a.type === 'Identifier' && a.name === name)) found.add(node.callee.property.name);
    }
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
      walk((node as unknown as Record<string, unknown>)[key]);
    }
  };
  walk(fn);
  return [...found];
}

function nearestFunction(ancestors: readonly Node[]): Node | null {
  for (let i = ancestors.length - 1; i >= 0; i--) if (isFunction(ancestors[i]!)) return ancestors[i]!;
  return null;
}

/** The name of `fn`, one of `ancestors` (its parent is the ancestor before it). */
function nameOf(fn: Node | null, ancestors: readonly Node[]): string | undefined {
  if (!fn) return undefined;
  const i = ancestors.indexOf(fn);
  return functionName(fn, i > 0 ? ancestors[i - 1] : undefined);
}

/** The name a value is bound to: `const token = …`, `user.resetToken = …`, `{ apiKey: … }`, else the enclosing function. */
function targetName(ancestors: readonly Node[]): string | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (isFunction(a)) return nameOf(a, ancestors.slice(0, i + 1));
    if (a.type === 'VariableDeclarator' && a.id.type === 'Identifier') return a.id.name;
    if (a.type === 'AssignmentExpression') {
      const parts = memberParts(a.left);
      if (parts) return parts[parts.length - 1];
    }
    if (a.type === 'ObjectProperty') return propertyKey(a) ?? undefined;
  }
  return undefined;
}

function isHookFunction(fn: Node | null, ancestors: readonly Node[]): boolean {
  if (!fn) return false;
  if (fn.type === 'ClassMethod' && (fn.decorators ?? []).some((d) => HOOK_DECORATOR.test(decoratorName(d) ?? ''))) return true;
  const i = ancestors.indexOf(fn);
  const parent = i > 0 ? ancestors[i - 1] : undefined;
  if (parent?.type === 'CallExpression') return HOOK_CALL.test(calleeName(parent) ?? '');
  return false;
}

function ivKind(node: Node | undefined, staticIvs: Set<string>): 'static' | 'other' {
  if (!node) return 'other';
  const n = unwrap(node);
  if (staticString(n) !== null) return 'static';
  if (n.type === 'Identifier' && staticIvs.has(n.name)) return 'static';
  const callee = calleeName(n) ?? '';
  if (/^(Buffer\.(alloc|from)|CryptoJS\.enc\.\w+\.parse|new Uint8Array)$/.test(callee) || n.type === 'NewExpression') {
    const args = (n as Node & { arguments: Node[] }).arguments;
    if (callee === 'Buffer.alloc') return 'static';
    if (args.length > 0 && (staticString(args[0]) !== null || args[0]!.type === 'ArrayExpression' || args[0]!.type === 'NumericLiteral')) return 'static';
  }
  return 'other';
}

export function extractJsDataProtection({ ast, index, text, facts }: JsFeatureInput): void {
  const uses: Scoped[] = [];
  const models: DataModel[] = [];
  const hashVars = new Map<string, string>();
  const staticIvs = new Set<string>();
  const objectVars = new Map<string, Node>();
  const schemaVars = new Map<string, DataModel>();
  const plugins: Array<{ schema: string; fields: string[] | 'all' }> = [];
  const add = (use: CryptoUse, ancestors: readonly Node[]): void => {
    uses.push({ use, fn: nearestFunction(ancestors) });
  };

  /** Whether the enclosing function writes to the database and encrypts nothing (comments never count). */
  const writeScopes = new Map<Node, boolean>();
  const writesUnencrypted = (ancestors: readonly Node[]): boolean => {
    const fn = nearestFunction(ancestors);
    if (!fn) return false;
    let known = writeScopes.get(fn);
    if (known === undefined) {
      let writes = false;
      let encrypts = false;
      walkAst(fn, (n) => {
        if (n.type !== 'CallExpression') return undefined;
        const c = calleeName(n) ?? '';
        if (isEncryptCallee(c) || /(^|\.)encrypt\w*$/i.test(c)) encrypts = true;
        else if (MODEL_WRITE.test(c) && c.includes('.')) writes = true;
        return encrypts ? false : undefined;
      });
      known = writes && !encrypts;
      writeScopes.set(fn, known);
    }
    return known;
  };

  const passwordStore = (value: Node, target: string, at: Node, ancestors: readonly Node[]): void => {
    const v = unwrap(value.type === 'AwaitExpression' ? value.argument : value);
    // `module.exports.forgotPw = function …` defines a handler; it stores nothing.
    if (isFunction(v)) return;
    const callee = calleeName(v);
    if (callee && (isPasswordHashCallee(callee) || digestOfCallee(callee))) return;
    // `createHash(password)`, `security.hash(password)`: a project hash helper; a weak one is judged by its body (password-call).
    if (callee && PASSWORD_HELPER.test(callee.split('.').pop()!)) return;
    if (v.type === 'CallExpression' && v.callee.type === 'MemberExpression' && calleeName(v)?.endsWith('.digest')) return;
    const names = namesIn(v);
    if (!names.some(isPasswordName) && !REQUEST_DATA.test(sourceOf(v, text))) return;
    const fn = nearestFunction(ancestors);
    const scopeText = fn ? sourceOf(fn, text) : sourceOf(v, text);
    // A password parameter (of this or an enclosing function) stored as-is counts as request data: the caller passes what the user typed.
    const storedParameter =
      v.type === 'Identifier' &&
      ancestors.some((a) => isFunction(a) && (a as Node & { params?: Node[] }).params?.some((p) => p.type === 'Identifier' && p.name === v.name) === true);
    const holder = at.type === 'AssignmentExpression' ? memberParts(at.left)?.[0] : undefined;
    const passedTo = holder && fn ? methodsReceiving(fn, holder) : [];
    add(
      {
        kind: 'password-store',
        api: target,
        names,
        target,
        ...(passedTo.length > 0 ? { passedTo } : {}),
        fromRequest: REQUEST_DATA.test(sourceOf(v, text)) || REQUEST_DATA.test(scopeText) || storedParameter,
        range: rangeOf(at),
      },
      ancestors,
    );
  };

  const objectWrites = (obj: Node, ancestors: readonly Node[]): void => {
    if (obj.type !== 'ObjectExpression') return;
    for (const p of obj.properties) {
      if (p.type !== 'ObjectProperty') continue;
      const key = propertyKey(p);
      if (!key) continue;
      const value = p.value as Node;
      if (isPasswordName(key)) passwordStore(value, key, p, [...ancestors, obj]);
      const vc = calleeName(unwrap(value.type === 'AwaitExpression' ? value.argument : value));
      if (vc && isEncryptCallee(vc)) add({ kind: 'encrypted-write', api: vc, names: [], target: key, range: rangeOf(p) }, ancestors);
    }
  };

  index.visit(
    ast.program,
    ['VariableDeclarator', 'AssignmentExpression', 'NewExpression', 'CallExpression', 'ClassDeclaration', 'ClassExpression'],
    (node, ancestors) => {
      switch (node.type) {
        case 'VariableDeclarator': {
          if (node.id.type !== 'Identifier' || !node.init) break;
          const init = unwrap(node.init);
          const callee = calleeName(init);
          if (callee && /(^|\.)createHash$/.test(callee)) {
            const alg = staticString((init as Node & { arguments: Node[] }).arguments[0]);
            if (alg) hashVars.set(node.id.name, alg.toLowerCase());
          }
          if (init.type === 'ObjectExpression') objectVars.set(node.id.name, init);
          if (/^iv$|iv$|^IV|_IV$|Iv$/.test(node.id.name) && ivKind(init, staticIvs) === 'static') staticIvs.add(node.id.name);
          break;
        }
        case 'AssignmentExpression': {
          const parts = memberParts(node.left);
          if (!parts) break;
          const last = parts[parts.length - 1]!;
          if (parts.length >= 2 && STORAGE.test(parts.slice(0, -1).join('.'))) {
            add({ kind: 'storage-write', api: parts.slice(0, -1).join('.'), names: namesIn(node.right), target: last, range: rangeOf(node) }, ancestors);
            break;
          }
          if (parts.length >= 2 && !REQUEST_OBJECT.test(parts[0]!) && !parts.some((x) => REQUEST_PART.has(x)) && isPasswordName(last) && node.operator === '=')
            passwordStore(node.right, last, node, ancestors);
          const vc = calleeName(unwrap(node.right.type === 'AwaitExpression' ? node.right.argument : node.right));
          if (vc && isEncryptCallee(vc)) add({ kind: 'encrypted-write', api: vc, names: [], target: last, range: rangeOf(node) }, ancestors);
          else if (
            parts.length === 2 &&
            node.operator === '=' &&
            !REQUEST_OBJECT.test(parts[0]!) &&
            classifySensitiveName(last) &&
            writesUnencrypted(ancestors)
          )
            add({ kind: 'pii-store', api: parts.join('.'), names: namesIn(node.right), target: last, range: rangeOf(node) }, ancestors);
          break;
        }
        case 'NewExpression':
        case 'CallExpression': {
          const callee = calleeName(node);
          if (!callee) break;
          const args = node.arguments as Node[];
          const first = args[0];
          if (node.type === 'NewExpression' && /^(mongoose\.)?Schema$/.test(callee) && first?.type === 'ObjectExpression') {
            const parent = ancestors[ancestors.length - 1];
            const name = parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier' ? parent.id.name : 'Schema';
            const model = modelOf('mongoose', name, node, first, text);
            models.push(model);
            schemaVars.set(name, model);
            break;
          }
          if (node.type === 'NewExpression') {
            if (/^[A-Z]/.test(callee.split('.').pop()!) && first) objectWrites(unwrap(first), ancestors);
            break;
          }
          const last = callee.split('.').pop()!;
          if (last === 'define' && args.length >= 2 && unwrap(args[1]!).type === 'ObjectExpression') {
            models.push(modelOf('sequelize', staticString(first) ?? 'Model', node, unwrap(args[1]!), text));
            break;
          }
          if (last === 'init' && callee.split('.').length === 2 && first?.type === 'ObjectExpression' && args[1] && /sequelize/.test(sourceOf(args[1], text))) {
            models.push(modelOf('sequelize', callee.split('.')[0]!, node, first, text));
            break;
          }
          if (last === 'plugin' && callee.split('.').length === 2 && args[0]) {
            const opts = flattenObject(args[1], text).options;
            const list = opts['encryptedFields'] ?? opts['fields'];
            const pluginText = sourceOf(args[0], text);
            if (/encrypt/i.test(pluginText) || Array.isArray(list)) {
              plugins.push({ schema: callee.split('.')[0]!, fields: Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : 'all' });
            }
            break;
          }
          if (last === 'update' && node.callee.type === 'MemberExpression') {
            const obj = unwrap(node.callee.object);
            const alg =
              obj.type === 'CallExpression' && /(^|\.)createHash$/.test(calleeName(obj) ?? '')
                ? staticString(obj.arguments[0] as Node)?.toLowerCase()
                : obj.type === 'Identifier'
                  ? hashVars.get(obj.name)
                  : undefined;
            if (alg) {
              const fnName = nameOf(nearestFunction(ancestors), ancestors);
              add(
                { kind: 'hash', api: 'createHash', algorithm: alg, names: namesIn(first), range: rangeOf(node), ...(fnName ? { target: fnName } : {}) },
                ancestors,
              );
              break;
            }
          }
          const digest = digestOfCallee(callee);
          if (digest && first) {
            add({ kind: 'hash', api: callee, algorithm: digest, names: namesIn(first), range: rangeOf(node) }, ancestors);
            break;
          }
          // `security.hash(clearTextPassword)`: a project helper the rule judges by its body (a fast digest or not).
          if (PASSWORD_HELPER.test(last) && !isPasswordHashCallee(callee) && first && namesIn(first).some(isPasswordName)) {
            add({ kind: 'password-call', api: callee, names: namesIn(first), target: last, range: rangeOf(node) }, ancestors);
            break;
          }
          if (isPasswordHashCallee(callee)) {
            const fn = nearestFunction(ancestors);
            // The method that hashes (a service's `update`/`create`): a password handed to it elsewhere is hashed there.
            const method = fn?.type === 'ClassMethod' ? nameOf(fn, ancestors) : undefined;
            add(
              {
                kind: 'password-hash',
                api: callee,
                names: namesIn(first),
                inModelHook: isHookFunction(fn, ancestors),
                ...(method ? { target: method } : {}),
                range: rangeOf(node),
              },
              ancestors,
            );
            break;
          }
          if (/(^|\.)createCipher(iv)?$/.test(callee) || /(^|\.)createDecipher(iv)?$/.test(callee)) {
            const alg = staticString(first)?.toLowerCase();
            const noIv = !/iv$/.test(callee);
            const use: CryptoUse = { kind: 'cipher', api: callee, names: [], iv: noIv ? 'none' : ivKind(args[2], staticIvs), range: rangeOf(node) };
            if (alg) use.algorithm = alg;
            add(use, ancestors);
            break;
          }
          const cj = /^CryptoJS\.(AES|DES|TripleDES|RC4|RC4Drop|Rabbit|Blowfish)\.encrypt$/.exec(callee);
          if (cj) {
            const opts = flattenObject(args[2], text).options;
            const mode = opts['mode'];
            const use: CryptoUse = { kind: 'cipher', api: callee, algorithm: cj[1]!.toLowerCase(), names: [], iv: 'other', range: rangeOf(node) };
            if (mode && typeof mode === 'object' && 'expr' in mode) use.mode = mode.expr.split('.').pop()!.toLowerCase();
            const ivNode = (unwrap(args[2] ?? node) as Node & { properties?: Node[] }).properties?.find(
              (p) => p.type === 'ObjectProperty' && propertyKey(p) === 'iv',
            );
            if (ivNode && ivNode.type === 'ObjectProperty') use.iv = ivKind(ivNode.value as Node, staticIvs);
            add(use, ancestors);
            break;
          }
          if (isInsecureRandomCallee(callee)) {
            const target = targetName(ancestors);
            if (target) add({ kind: 'insecure-random', api: callee, names: [], target, range: rangeOf(node) }, ancestors);
            break;
          }
          const storage = /^(?:window\.|globalThis\.|self\.)?(localStorage|sessionStorage)\.setItem$/.exec(callee);
          if (storage) {
            const key = staticString(first) ?? (first ? namesIn(first).pop() : undefined);
            const use: CryptoUse = { kind: 'storage-write', api: callee, names: namesIn(args[1]), range: rangeOf(node) };
            if (key) use.target = key;
            add(use, ancestors);
            break;
          }
          if (isLoggerCallee(callee)) {
            let names = args.flatMap((a) => namesIn(a));
            if (names.some(isPasswordName)) {
              const paths = workingDirectoryNames(ancestors);
              names = names.filter((n) => !paths.has(n));
            }
            add({ kind: 'log', api: callee, names, range: rangeOf(node) }, ancestors);
            break;
          }
          if (MODEL_WRITE.test(callee) && first) {
            const written = unwrap(first);
            objectWrites(written.type === 'Identifier' ? (objectVars.get(written.name) ?? written) : written, ancestors);
            if (args[1]) objectWrites(unwrap(args[1]), ancestors);
          }
          break;
        }
        case 'ClassDeclaration':
        case 'ClassExpression': {
          // TypeORM `@Entity()` and sequelize-typescript `@Table` classes declare columns with `@Column`.
          const orm: Orm | null = (node.decorators ?? []).some((d) => decoratorName(d) === 'Entity')
            ? 'typeorm'
            : (node.decorators ?? []).some((d) => decoratorName(d) === 'Table')
              ? 'sequelize'
              : null;
          if (!orm) break;
          const fields: DataModelField[] = [];
          for (const member of node.body.body) {
            if (member.type !== 'ClassProperty') continue;
            const decorators = member.decorators ?? [];
            const column = decorators.find((d) => TYPEORM_COLUMN.test(decoratorName(d) ?? ''));
            const name = propertyKey(member);
            if (!column || !name) continue;
            const field: DataModelField = { name, encrypted: decorators.some((d) => declaresEncryption(sourceOf(d, text))), range: rangeOf(member) };
            const ann = member.typeAnnotation;
            if (ann && ann.type === 'TSTypeAnnotation') field.type = sourceOf(ann.typeAnnotation, text);
            fields.push(field);
          }
          const name = node.id?.name ?? 'Entity';
          models.push({ orm, name, range: rangeOf(node.id ?? node), fields });
          break;
        }
      }
      return undefined;
    },
  );

  for (const p of plugins) {
    const model = schemaVars.get(p.schema);
    if (!model) continue;
    for (const f of model.fields) if (p.fields === 'all' || p.fields.includes(f.name) || p.fields.includes(f.name.split('.').pop()!)) f.encrypted = true;
  }

  const hashCalls = uses.filter((u) => u.use.kind === 'password-hash');
  const cryptoUses = uses.map(({ use, fn }) => {
    if (use.kind === 'password-store') {
      use.hashedInScope = hashCalls.some(
        (h) => h.fn !== null && fn !== null && (h.fn === fn || ((h.fn.start ?? 0) >= (fn.start ?? 0) && (h.fn.end ?? 0) <= (fn.end ?? 0))),
      );
    }
    return use;
  });
  if (models.length > 0) facts.dataModels = [...(facts.dataModels ?? []), ...models];
  if (cryptoUses.length > 0) facts.cryptoUses = [...(facts.cryptoUses ?? []), ...cryptoUses];
}

function modelOf(orm: Orm, name: string, at: Node, attributes: Node, text: string): DataModel {
  const fields: DataModelField[] = [];
  const visit = (obj: Node, prefix: string): void => {
    if (obj.type !== 'ObjectExpression') return;
    for (const p of obj.properties) {
      if (p.type !== 'ObjectProperty' && p.type !== 'ObjectMethod') continue;
      const key = propertyKey(p);
      if (!key) continue;
      const fieldName = prefix ? `${prefix}.${key}` : key;
      const value = p.type === 'ObjectProperty' ? unwrap(p.value as Node) : p;
      // A Mongoose sub-document (`card: { number: String }`) or a Sequelize/Mongoose options object (`{ type: … }`).
      const isOptions = value.type === 'ObjectExpression' && value.properties.some((q) => q.type === 'ObjectProperty' && propertyKey(q) === 'type');
      if (orm === 'mongoose' && value.type === 'ObjectExpression' && !isOptions) {
        visit(value, fieldName);
        continue;
      }
      const field: DataModelField = { name: fieldName, encrypted: declaresEncryption(sourceOf(value, text)), range: rangeOf(p) };
      const typeNode =
        isOptions && value.type === 'ObjectExpression' ? value.properties.find((q) => q.type === 'ObjectProperty' && propertyKey(q) === 'type') : undefined;
      const typeText =
        typeNode && typeNode.type === 'ObjectProperty'
          ? sourceOf(typeNode.value as Node, text)
          : value.type === 'ObjectExpression'
            ? undefined
            : sourceOf(value, text);
      if (typeText) field.type = typeText.slice(0, 80);
      fields.push(field);
    }
  };
  visit(attributes, '');
  return { orm, name, range: rangeOf(at), fields };
}

/** Names the enclosing function (or the file) binds to the working directory (`const pwd = process.cwd()`): paths. */
function workingDirectoryNames(ancestors: readonly Node[]): Set<string> {
  const out = new Set<string>();
  const scope = [...ancestors].reverse().find((a) => isFunction(a)) ?? ancestors[0];
  if (!scope) return out;
  walkAst(scope, (n) => {
    const [id, init] = n.type === 'VariableDeclarator' ? [n.id, n.init] : n.type === 'AssignmentExpression' ? [n.left, n.right] : [null, null];
    if (id?.type !== 'Identifier' || !init) return;
    const value = unwrap(init);
    if (value.type === 'CallExpression' && isWorkingDirectoryCallee(calleeName(value) ?? '')) out.add(id.name);
  });
  return out;
}
