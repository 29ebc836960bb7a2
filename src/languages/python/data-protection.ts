import type { PyNode as Node } from './syntax.js';
import type { CryptoUse, DataModel, DataModelField } from '../../model/facts.js';
import {
  declaresEncryption,
  digestOfCallee,
  isEncryptCallee,
  isInsecureRandomCallee,
  isLoggerCallee,
  isPasswordHashCallee,
  isWorkingDirectoryCallee,
} from '../../model/crypto.js';
import { isPasswordName } from '../../model/sensitive-data.js';
import { callArguments, calleeText, codeChildren, compact, decoratorsOf, enclosingClass, enclosingFunction, nodeRange, unwrapParens } from './ast.js';
import { decodeLiteral } from './string-literal.js';
import type { PyFeatureInput } from './feature-input.js';

/**
 * Data-protection facts of one Python file (SOC2-005): SQLAlchemy and Django models with their fields,
 * digests and ciphers (hashlib, PyCryptodome, cryptography), password hashing and password stores, insecure
 * randomness and logger calls with the names passed to them.
 */

const REQUEST_DATA = /\brequest\.(form|json|args|values|data|POST|GET|get_json|body)\b|\bform\.\w+\.data\b/;
const COLUMN_CALL = /^(?:(?:db|sa|sqlalchemy|orm)\.)?(?:Column|mapped_column)$/;
const DJANGO_FIELD = /^(?:models\.)?\w*Field$|^(?:\w+\.)?Encrypted\w*Field$|^encrypt$/;
const MODEL_WRITE = /(^|\.)(create|objects\.create|insert|update|add|save|get_or_create|update_or_create)$/;
const SLOW_DJANGO_HASHER = /\b(PBKDF2|PBKDF2SHA1|Argon2|BCryptSHA256|BCrypt|Scrypt)PasswordHasher\b/;
const HOOK_FUNCTION = /^(save|set_password|_set_password|hash_password|before_insert|before_update|__init__)$/;
const HOOK_DECORATOR = /(\.setter$|^validates\b|^event\.listens_for|^listens_for|^pre_save|^receiver\(pre_save)/;
const WEAK_PYCRYPTO = /^(?:Crypto\.Cipher\.|Cryptodome\.Cipher\.)?(AES|DES|DES3|ARC4|ARC2|Blowfish|CAST)\.new$/;
const CRYPTOGRAPHY_CIPHER = /^(?:\w+\.)*Cipher$/;

/** Identifier names an expression reads, plus string keys in subscripts and `.get('x')` (`request.form['password']`). */
/**
 * Names that take a new candidate value on each turn of an enclosing loop (`for password in wordlist:`, `cvv =
 * format(number)` under `for number in range(1000)`): a guess tried by a cracking script, not a stored credential.
 */
function loopCandidates(node: Node): Set<string> {
  const out = new Set<string>();
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'for_statement') continue;
    const targets = (p.childForFieldName('left')?.descendantsOfType('identifier') ?? []).flatMap((n) => (n ? [n.text] : []));
    if (p.childForFieldName('left')?.type === 'identifier') targets.push(p.childForFieldName('left')!.text);
    for (const t of targets) out.add(t);
    for (const a of p.childForFieldName('body')?.descendantsOfType('assignment') ?? []) {
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      // Computed from the loop value itself (`format(number)`), not read from it (`user.password` is a stored one).
      const fromValue = (n: Node | null): boolean => !!n && targets.includes(n.text) && n.parent?.type !== 'attribute' && n.parent?.type !== 'subscript';
      if (left?.type === 'identifier' && right?.descendantsOfType('identifier').some(fromValue)) out.add(left.text);
    }
  }
  return out;
}

/** Names the enclosing function (or the module) binds to the working directory (`pwd = os.getcwd()`): paths. */
function workingDirectoryNames(node: Node): Set<string> {
  const out = new Set<string>();
  let scope = enclosingFunction(node) ?? node;
  while (scope.type !== 'function_definition' && scope.parent) scope = scope.parent;
  for (const a of scope.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left');
    const right = unwrapParens(a?.childForFieldName('right') ?? null);
    if (left?.type === 'identifier' && right?.type === 'call' && isWorkingDirectoryCallee(calleeText(right) ?? '')) out.add(left.text);
  }
  return out;
}

function namesIn(node: Node | null): string[] {
  if (!node) return [];
  const out = new Set<string>();
  for (const n of node.descendantsOfType(['identifier', 'subscript', 'call'])) {
    if (!n) continue;
    if (n.type === 'identifier') {
      const parent = n.parent;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.equals(n)) continue;
      out.add(n.text);
    } else if (n.type === 'subscript') {
      const key = n.childForFieldName('subscript');
      const v = key?.type === 'string' ? decodeLiteral(key.text) : null;
      if (v) out.add(v);
    } else {
      const callee = calleeText(n);
      const { positional } = callArguments(n);
      if (callee?.endsWith('.get') && positional[0]?.type === 'string') {
        const v = decodeLiteral(positional[0].text);
        if (v) out.add(v);
      }
    }
  }
  return [...out];
}

function lastPart(text: string): string {
  return text.slice(text.lastIndexOf('.') + 1);
}

function functionName(fn: Node | null): string | undefined {
  return fn?.childForFieldName('name')?.text;
}

/** The name a value is bound to: `token = …`, `self.api_key = …`, `token=…` keyword, else the enclosing function. */
function targetOf(node: Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') return functionName(p.type === 'function_definition' ? p : enclosingFunction(p));
    if (p.type === 'assignment' || p.type === 'augmented_assignment') {
      const left = p.childForFieldName('left');
      if (left && (left.type === 'identifier' || left.type === 'attribute')) return lastPart(left.text);
      if (left?.type === 'subscript') {
        const key = left.childForFieldName('subscript');
        return key?.type === 'string' ? (decodeLiteral(key.text) ?? undefined) : undefined;
      }
      return undefined;
    }
    if (p.type === 'keyword_argument') return p.childForFieldName('name')?.text;
    if (p.type === 'pair') {
      const key = p.childForFieldName('key');
      return key?.type === 'string' ? (decodeLiteral(key.text) ?? undefined) : undefined;
    }
  }
  return undefined;
}

function isStaticBytes(node: Node | null | undefined): boolean {
  const n = unwrapParens(node ?? null);
  if (!n) return false;
  if (n.type === 'string' || n.type === 'concatenated_string') return true;
  if (n.type === 'binary_operator') return isStaticBytes(n.childForFieldName('left')) && n.childForFieldName('right')?.type === 'integer';
  if (n.type === 'call') {
    const callee = calleeText(n) ?? '';
    const { positional } = callArguments(n);
    return /^(bytes|bytearray)$/.test(callee) && (positional[0]?.type === 'integer' || positional[0]?.type === 'list');
  }
  return false;
}

export function extractPyDataProtection({ root, facts }: PyFeatureInput): void {
  const uses: Array<{ use: CryptoUse; fn: Node | null }> = [];
  const models: DataModel[] = [];
  const hashVars = new Map<string, string>();
  const staticIvs = new Set<string>();
  const add = (use: CryptoUse, at: Node): void => {
    uses.push({ use, fn: enclosingFunction(at) });
  };
  const ivKind = (n: Node | undefined): 'static' | 'other' => {
    const u = unwrapParens(n ?? null);
    if (!u) return 'other';
    if (u.type === 'identifier' && staticIvs.has(u.text)) return 'static';
    return isStaticBytes(u) ? 'static' : 'other';
  };
  const passwordStore = (value: Node, target: string, at: Node): void => {
    const v = unwrapParens(value.type === 'await' ? value.firstNamedChild : value);
    if (!v) return;
    if (v.type === 'call') {
      const callee = calleeText(v) ?? '';
      if (isPasswordHashCallee(callee) || digestOfCallee(callee) || /hexdigest$|\.digest$|hash/i.test(callee)) return;
    }
    const names = namesIn(v);
    if (!names.some(isPasswordName)) return;
    const fn = enclosingFunction(at);
    add(
      {
        kind: 'password-store',
        api: target,
        names,
        target,
        fromRequest: REQUEST_DATA.test(v.text) || (fn !== null && REQUEST_DATA.test(fn.text)),
        range: nodeRange(at),
      },
      at,
    );
  };
  /**
   * Raw SQL that writes a `password` column from a password variable as it is (`"INSERT INTO users (username,
   * password) VALUES ('%s', '%s')" % (username, password)`, `.format(…)`, or a parameter tuple). Only values
   * passed directly count: `hash_password(password)` is a hash. A password parameter of the function is taken as
   * received (its callers hand the form's value on), like the JavaScript DAO case.
   */
  const sqlPasswordStore = (sqlArg: Node, params: Node | null, at: Node): void => {
    const n = unwrapParens(sqlArg);
    let sql: Node | null = n;
    let values: readonly Node[] = [];
    if (n?.type === 'binary_operator' && n.childForFieldName('operator')?.text === '%') {
      sql = unwrapParens(n.childForFieldName('left'));
      const right = unwrapParens(n.childForFieldName('right'));
      values = right?.type === 'tuple' ? codeChildren(right) : right ? [right] : [];
    } else if (
      n?.type === 'call' &&
      n.childForFieldName('function')?.type === 'attribute' &&
      n.childForFieldName('function')?.childForFieldName('attribute')?.text === 'format'
    ) {
      sql = n.childForFieldName('function')?.childForFieldName('object') ?? null;
      values = callArguments(n).positional;
    } else {
      const p = unwrapParens(params);
      values = p?.type === 'tuple' || p?.type === 'list' ? codeChildren(p) : [];
    }
    if (sql?.type !== 'string') return;
    const text = decodeLiteral(sql.text) ?? '';
    if (!/^\s*(INSERT\s+INTO|UPDATE)\b/i.test(text) || !/\b(password|passwd)\b/i.test(text)) return;
    const password = values.find((v) => v.type === 'identifier' && isPasswordName(v.text));
    if (!password) return;
    const fn = enclosingFunction(at);
    const parameters =
      fn
        ?.childForFieldName('parameters')
        ?.descendantsOfType('identifier')
        .map((i) => i?.text) ?? [];
    add(
      {
        kind: 'password-store',
        api: 'SQL',
        names: [password.text],
        target: 'password',
        fromRequest: parameters.includes(password.text) || (fn !== null && REQUEST_DATA.test(fn.text)),
        range: nodeRange(at),
      },
      at,
    );
  };
  const encryptedWrite = (value: Node | null, target: string, at: Node): void => {
    const v = unwrapParens(value);
    if (v?.type === 'call' && isEncryptCallee(calleeText(v) ?? ''))
      add({ kind: 'encrypted-write', api: calleeText(v)!, names: [], target, range: nodeRange(at) }, at);
  };

  for (const node of root.descendantsOfType(['assignment', 'call', 'class_definition'])) {
    if (!node) continue;
    if (node.type === 'class_definition') {
      const model = modelOf(node);
      if (model) models.push(model);
      continue;
    }
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) continue;
      const r = unwrapParens(right);
      if (left.type === 'identifier' && r?.type === 'call') {
        const callee = calleeText(r) ?? '';
        const digest =
          digestOfCallee(callee) ?? (callee === 'hashlib.new' ? (decodeLiteral(callArguments(r).positional[0]?.text ?? '') ?? '').toLowerCase() : null);
        if (digest) hashVars.set(left.text, digest);
      }
      if (left.type === 'identifier' && /(^|_)iv$|^IV$|_IV$/.test(left.text) && isStaticBytes(r)) staticIvs.add(left.text);
      if (left.type === 'attribute') {
        const attr = lastPart(left.text);
        if (isPasswordName(attr) && !/^self\.|^cls\./.test(left.text)) passwordStore(right, attr, node);
        encryptedWrite(right, attr, node);
      }
      continue;
    }
    const callee = calleeText(node);
    if (!callee) continue;
    const { positional, keywords } = callArguments(node);
    const first = positional[0] ?? null;

    if (/\.update$/.test(callee) && hashVars.has(callee.slice(0, -'.update'.length))) {
      add(
        {
          kind: 'hash',
          api: `${callee.slice(0, -'.update'.length)}.update`,
          algorithm: hashVars.get(callee.slice(0, -'.update'.length))!,
          names: namesIn(first),
          range: nodeRange(node),
        },
        node,
      );
      continue;
    }
    const digest = digestOfCallee(callee);
    if (digest) {
      // A legacy scheme kept to migrate old passwords, its digest then stretched by Django's PBKDF2/Argon2/bcrypt
      // hasher (`class X(PBKDF2PasswordHasher)` whose class hands the result to `super().encode(…)`): not a fast hash.
      const cls = enclosingClass(node);
      if (cls && SLOW_DJANGO_HASHER.test(cls.childForFieldName('superclasses')?.text ?? '') && /\bsuper\(\)\.encode\(/.test(cls.text)) continue;
      if (first) add({ kind: 'hash', api: callee, algorithm: digest, names: namesIn(first), range: nodeRange(node) }, node);
      continue;
    }
    if (callee === 'hashlib.new' && positional.length >= 2) {
      const alg = decodeLiteral(positional[0]!.text);
      if (alg) add({ kind: 'hash', api: callee, algorithm: alg.toLowerCase(), names: namesIn(positional[1]!), range: nodeRange(node) }, node);
      continue;
    }
    if (isPasswordHashCallee(callee)) {
      const fn = enclosingFunction(node);
      const inModelHook =
        fn !== null && enclosingClass(fn) !== null && (HOOK_FUNCTION.test(functionName(fn) ?? '') || decoratorsOf(fn).some((d) => HOOK_DECORATOR.test(d)));
      add({ kind: 'password-hash', api: callee, names: namesIn(first), inModelHook, range: nodeRange(node) }, node);
      continue;
    }
    const pycrypto = WEAK_PYCRYPTO.exec(callee);
    if (pycrypto) {
      const mode = positional[1] ?? keywords.get('mode');
      const use: CryptoUse = {
        kind: 'cipher',
        api: callee,
        algorithm: pycrypto[1]!.toLowerCase(),
        names: [],
        iv: ivKind(keywords.get('iv') ?? keywords.get('IV') ?? positional[2]),
        range: nodeRange(node),
      };
      if (mode)
        use.mode = lastPart(compact(mode.text))
          .replace(/^MODE_/, '')
          .toLowerCase();
      add(use, node);
      continue;
    }
    if (CRYPTOGRAPHY_CIPHER.test(callee) && first?.type === 'call') {
      const alg = lastPart(calleeText(first) ?? '');
      const modeNode = positional[1] ?? keywords.get('mode');
      const use: CryptoUse = { kind: 'cipher', api: callee, algorithm: alg.toLowerCase(), names: [], iv: 'other', range: nodeRange(node) };
      if (modeNode?.type === 'call') {
        use.mode = lastPart(calleeText(modeNode) ?? '').toLowerCase();
        use.iv = ivKind(callArguments(modeNode).positional[0]);
      }
      add(use, node);
      continue;
    }
    if (isInsecureRandomCallee(callee)) {
      const target = targetOf(node);
      if (target) add({ kind: 'insecure-random', api: callee, names: [], target, range: nodeRange(node) }, node);
      continue;
    }
    if (/(^|\.)(execute|executemany)$/.test(callee) && first) sqlPasswordStore(first, positional[1] ?? null, node);
    if (isLoggerCallee(callee)) {
      const guesses = loopCandidates(node);
      let names = [...positional, ...keywords.values()].flatMap((a) => namesIn(a)).filter((n) => !guesses.has(n));
      if (names.some(isPasswordName)) {
        const paths = workingDirectoryNames(node);
        names = names.filter((n) => !paths.has(n));
      }
      add({ kind: 'log', api: callee, names, range: nodeRange(node) }, node);
      continue;
    }
    const lastName = lastPart(callee);
    if ((MODEL_WRITE.test(callee) || /^[A-Z]\w*$/.test(lastName)) && !/^(create_user|create_superuser)$/.test(lastName)) {
      for (const [name, value] of keywords) {
        if (isPasswordName(name)) passwordStore(value, name, value.parent ?? node);
        encryptedWrite(value, name, value.parent ?? node);
      }
    }
  }

  const hashFns = uses.filter((u) => u.use.kind === 'password-hash').map((u) => u.fn);
  const cryptoUses = uses.map(({ use, fn }) => {
    if (use.kind === 'password-store')
      use.hashedInScope = fn !== null && hashFns.some((h) => h !== null && h.startIndex >= fn.startIndex && h.endIndex <= fn.endIndex);
    return use;
  });
  if (models.length > 0) facts.dataModels = [...(facts.dataModels ?? []), ...models];
  if (cryptoUses.length > 0) facts.cryptoUses = [...(facts.cryptoUses ?? []), ...cryptoUses];
}

/** A SQLAlchemy (Column / mapped_column) or Django (models.XField) model class, or null. */
function modelOf(cls: Node): DataModel | null {
  const body = cls.childForFieldName('body');
  const name = cls.childForFieldName('name')?.text ?? 'Model';
  if (!body) return null;
  const fields: DataModelField[] = [];
  let orm: DataModel['orm'] | null = null;
  for (const stmt of codeChildren(body)) {
    if (stmt.type !== 'expression_statement') continue;
    const assignment = stmt.firstNamedChild;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const right = unwrapParens(assignment.childForFieldName('right'));
    if (left?.type !== 'identifier' || right?.type !== 'call') continue;
    const callee = calleeText(right) ?? '';
    const isColumn = COLUMN_CALL.test(callee);
    const isDjango = !isColumn && DJANGO_FIELD.test(callee) && /models\.|Encrypted|encrypt/.test(callee);
    if (!isColumn && !isDjango) continue;
    orm ??= isColumn ? 'sqlalchemy' : 'django';
    const field: DataModelField = { name: left.text, encrypted: declaresEncryption(right.text), range: nodeRange(assignment) };
    const typeArg = isColumn ? callArguments(right).positional.find((a) => a.type !== 'string') : undefined;
    field.type = (isColumn ? typeArg?.text : callee)?.slice(0, 80) ?? callee;
    fields.push(field);
  }
  return orm ? { orm, name, range: nodeRange(cls.childForFieldName('name') ?? cls), fields } : null;
}
