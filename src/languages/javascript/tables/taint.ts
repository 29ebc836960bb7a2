import type { SinkKind } from '../../../model/data-flow.js';
import type { SinkCondition } from '../../../flow/taint.js';

/**
 * JavaScript/TypeScript taint knowledge for SOC2-004: request sources, sinks and sanitisers, as data. Callees are
 * matched after import resolution: `cp.exec` with `cp = require('child_process')` reads `child_process.exec`,
 * `readFile` imported from 'fs/promises' reads `fs/promises.readFile`. Every entry proves itself with samples.
 */

export interface JsSourceEntry {
  id: string;
  /** Matched against the dotted member path (`req.query.id` → tested as written). */
  pattern: RegExp;
  /** Values a client can send as objects (JSON bodies, qs-parsed queries): NoSQL operator injection. */
  object: boolean;
  must: string[];
  mustNot: string[];
}

const REQ = String.raw`(?:req|request|ctx\.request|ctx\.req|event)`;

export const JS_SOURCES: JsSourceEntry[] = [
  {
    id: 'request-body-query',
    pattern: new RegExp(String.raw`^(?:${REQ}|ctx)\.(?:body|query)(?:\.|$)`),
    object: true,
    must: ['req.body', 'req.body.user.name', 'req.query.id', 'request.body.q', 'ctx.request.body.name', 'ctx.query.q', 'request.query'],
    mustNot: ['res.body', 'body.query', 'req.user.id', 'request.session.id'],
  },
  {
    id: 'request-strings',
    pattern: new RegExp(
      String.raw`^(?:${REQ}|ctx)\.(?:params|headers|cookies|signedCookies|files|file|path|url|originalUrl|hostname|queryStringParameters|pathParameters)(?:\.|$)`,
    ),
    object: false,
    must: ['req.params.id', 'req.headers.referer', 'req.cookies.session', 'ctx.params.id', 'ctx.headers.host', 'event.queryStringParameters.q', 'request.url'],
    mustNot: ['params.id', 'req.app.locals', 'ctx.state.user'],
  },
];

/** Calls that return request data: `req.param('x')`, `await request.json()`, `searchParams.get('q')`. */
export const JS_SOURCE_CALLS: JsSourceEntry[] = [
  {
    id: 'request-readers',
    pattern: new RegExp(String.raw`^${REQ}\.(?:param|get|header|json|formData|text)$`),
    object: true,
    must: ['req.param', 'req.get', 'req.header', 'request.json', 'req.formData', 'request.text'],
    mustNot: ['res.json', 'app.get', 'router.get', 'axios.get', 'request.headers.get'],
  },
  {
    id: 'search-params',
    pattern: /(?:^|\.)(?:searchParams|nextUrl\.searchParams|formData\(\))\.(?:get|getAll)$|^(?:formData|form)\.get$/,
    object: false,
    must: ['searchParams.get', 'request.nextUrl.searchParams.get', 'url.searchParams.getAll', 'formData.get'],
    mustNot: ['map.get', 'headers.get', 'cache.get'],
  },
];

/**
 * Names one of which every request source above contains as a path segment (`req.query.id`, `ctx.request.body`,
 * `url.searchParams.get`, `formData.get`): a function or file without any of them reads no request data by
 * itself, and the data-flow pre-scan lets it be. A new source must keep this true (test/flow/tables.test.ts).
 */
export const JS_SOURCE_WORDS: ReadonlySet<string> = new Set(['req', 'request', 'ctx', 'event', 'searchParams', 'formData', 'form']);

export interface JsSinkEntry {
  id: string;
  kind: SinkKind;
  callee: RegExp;
  /** Argument positions that are dangerous ('all' for redirects, whose URL may follow a status). */
  args: number[] | 'all';
  condition: SinkCondition;
  /** Only dangerous with `{ shell: true }` among the arguments (spawn, execFile). */
  needsShellOption?: boolean;
  /** Only dangerous with this option set truthy in an object-literal argument (`{ noent: true }`: entity expansion). */
  needsOption?: string;
  /** Only when the first argument is an object literal (NoSQL filters; `arr.find(fn)` is not a query). */
  objectLiteral?: boolean;
  /**
   * Not dangerous when an object-literal argument sets this option to a folder of its own (`{ root: './files' }`:
   * Express's `send` refuses with 403 a path whose `..` segments climb above root). A root that is the app's own
   * folder (`__dirname`, `process.cwd()`, `'.'`) still serves its source and secrets, and is no confinement.
   */
  confinedBy?: string;
  must: string[];
  mustNot: string[];
}

const CP = String.raw`(?:node:)?child_process`;
const FS = String.raw`(?:node:)?fs(?:/promises)?|fs-extra|(?:node:)?fs\.promises`;

export const JS_SINKS: JsSinkEntry[] = [
  {
    id: 'sql-raw',
    kind: 'sql',
    callee: /(?:^|\.)(?:\$queryRawUnsafe|\$executeRawUnsafe|(?:where|having|orderBy|select|join|group)Raw|raw|literal)$/,
    args: [0],
    condition: 'any',
    must: ['prisma.$queryRawUnsafe', 'prisma.$executeRawUnsafe', 'knex.raw', 'db.raw', 'query.whereRaw', 'Sequelize.literal', 'qb.orderByRaw'],
    mustNot: ['prisma.$queryRaw', 'knex.where', 'rawBody', 'db.rawQuery'],
  },
  {
    id: 'sql-query',
    kind: 'sql',
    // A receiver is required: a bare `query(…)` or `run(…)` is some local function, not a driver.
    callee: /\.(?:query|execute|exec|run|all|get|each|prepare|unsafe|sql)$/,
    args: [0],
    condition: 'sql-built',
    must: ['db.query', 'pool.query', 'sequelize.query', 'connection.execute', 'db.run', 'db.all', 'client.query', 'this.db.query'],
    mustNot: ['db.queryBuilder', 'runQuery', 'db.select', 'run', 'query'],
  },
  {
    id: 'nosql-where',
    kind: 'nosql',
    callee: /(?:^|\.)\$where$|(?:^|\.)mapReduce$/,
    args: [0],
    condition: 'any',
    must: ['query.$where', 'User.$where', 'db.collection.mapReduce'],
    mustNot: ['query.where'],
  },
  {
    id: 'nosql-filter',
    kind: 'nosql',
    // TypeORM repositories and Prisma delegates take bound values, not operator documents.
    callee:
      /^(?!.*(?:[Rr]epository|[Rr]epo|prisma|manager)\.)[\w$.()"'-]*\.(?:find|findOne|findOneAndUpdate|findOneAndDelete|findOneAndRemove|findOneAndReplace|updateOne|updateMany|deleteOne|deleteMany|replaceOne|countDocuments|count|remove|update|exists|distinct)$/,
    args: [0],
    condition: 'object',
    objectLiteral: true,
    must: ['User.findOne', 'db.collection("users").find', 'users.updateOne', 'Model.deleteMany', 'db.reviewsCollection.update'],
    mustNot: ['find', 'user.save', 'User.findById', 'this.userRepository.findOne', 'prisma.user.findMany', 'this.repo.find'],
  },
  {
    id: 'command-exec',
    kind: 'command',
    callee: new RegExp(String.raw`^(?:${CP}\.(?:exec|execSync)|shelljs\.exec|execa\.command(?:Sync)?)$`),
    args: [0],
    condition: 'any',
    must: ['child_process.exec', 'node:child_process.execSync', 'shelljs.exec', 'execa.commandSync'],
    mustNot: ['regex.exec', 'exec', 'child_process.fork', 'db.exec'],
  },
  {
    id: 'command-shell-option',
    kind: 'command',
    callee: new RegExp(String.raw`^${CP}\.(?:spawn|spawnSync|execFile|execFileSync)$`),
    args: [0, 1],
    condition: 'any',
    needsShellOption: true,
    must: ['child_process.spawn', 'child_process.execFileSync'],
    mustNot: ['child_process.exec', 'spawn'],
  },
  {
    id: 'xml-entities',
    kind: 'xxe',
    // libxml2 bindings expand external entities only when asked (`noent: true`).
    callee: /^(?:libxmljs2?|libxmljs2?\.Document)\.(?:parseXml|parseXmlString|parseXmlAsync)$/,
    args: [0],
    condition: 'any',
    needsOption: 'noent',
    must: ['libxmljs.parseXmlString', 'libxmljs2.parseXml', 'libxmljs.Document.parseXml'],
    mustNot: ['xml2js.parseString', 'parseXmlString', 'libxmljs.parseHtml'],
  },
  {
    id: 'code-eval',
    kind: 'code',
    callee:
      /^(?:eval|Function|new Function|(?:node:)?vm\.(?:runInNewContext|runInThisContext|runInContext|compileFunction)|new (?:node:)?vm\.Script|setTimeout|setInterval)$/,
    args: [0],
    condition: 'any',
    must: ['eval', 'new Function', 'vm.runInNewContext', 'new vm.Script', 'node:vm.runInThisContext'],
    mustNot: ['evaluate', 'page.evaluate', 'vm.createContext'],
  },
  {
    id: 'expression-eval',
    kind: 'code',
    // Expression languages that reach functions and objects: mathjs' evaluate (CVE-2017-1001002 and later sandbox
    // escapes), expr-eval's Parser (CVE-2025-12735), static-eval and safe-eval (sandboxes with published escapes).
    callee: /^(?:mathjs\.(?:evaluate|eval|compile)|expr-eval\.Parser\.(?:evaluate|parse)|static-eval|safe-eval)$/,
    args: [0],
    condition: 'any',
    must: ['mathjs.evaluate', 'mathjs.compile', 'expr-eval.Parser.evaluate', 'safe-eval', 'static-eval'],
    mustNot: ['evaluate', 'math.evaluate', 'page.evaluate', 'mathjs.add'],
  },
  {
    id: 'module-load',
    kind: 'code',
    // The request picks the module: arbitrary file inclusion and code execution (CWE-829, CWE-94).
    callee: /^require$/,
    args: [0],
    condition: 'any',
    must: ['require'],
    mustNot: ['require.resolve', 'importScripts', 'requireAuth'],
  },
  {
    id: 'path-fs',
    kind: 'path',
    callee: new RegExp(
      String.raw`^(?:${FS})\.(?:readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|unlink|unlinkSync|rm|rmSync|readdir|readdirSync|open|openSync|copyFile|rename|renameSync|stat|statSync|access|mkdir|mkdirSync|rmdir|existsSync|readJson|outputFile|remove)$`,
    ),
    args: [0],
    condition: 'any',
    must: ['fs.readFile', 'fs.readFileSync', 'fs/promises.readFile', 'fs-extra.readJson', 'node:fs.createReadStream', 'fs.promises.writeFile'],
    mustNot: ['files.readFile', 'fs.watch', 'storage.readFile'],
  },
  {
    id: 'path-send-file',
    kind: 'path',
    callee: /(?:^|\.)(?:res|response|reply)\.(?:sendFile|download|sendfile|attachment)$/,
    args: [0],
    condition: 'any',
    confinedBy: 'root',
    must: ['res.sendFile', 'res.download', 'reply.sendFile', 'response.download'],
    mustNot: ['res.send', 'bucket.download'],
  },
  {
    id: 'deserialize',
    kind: 'deserialization',
    callee: /^(?:node-serialize|serialize-javascript|funcster|cryo)\.(?:unserialize|deserialize|parse)$|^(?:js-yaml|yaml)\.(?:unsafeLoad)$/,
    args: [0],
    condition: 'any',
    must: ['node-serialize.unserialize', 'funcster.deserialize', 'js-yaml.unsafeLoad'],
    mustNot: ['JSON.parse', 'js-yaml.load', 'serializer.unserialize'],
  },
  {
    id: 'ssrf',
    kind: 'ssrf',
    callee:
      /^(?:fetch|axios|got|needle|request|undici\.request|superagent|node-fetch|(?:axios|got|needle|superagent|request|(?:node:)?https?|undici)\.(?:get|post|put|patch|delete|head|request|stream|fetch))$/,
    args: [0],
    condition: 'no-fixed-prefix',
    must: ['fetch', 'axios', 'axios.get', 'got.post', 'http.get', 'https.request', 'node:http.get', 'superagent.get', 'node-fetch'],
    mustNot: ['api.get', 'cache.get', 'router.get', 'app.post'],
  },
  {
    id: 'redirect',
    kind: 'redirect',
    callee: /^(?:(?:res|response|reply|ctx)\.redirect|NextResponse\.redirect|Response\.redirect|next\/navigation\.(?:redirect|permanentRedirect))$/,
    args: 'all',
    condition: 'no-fixed-prefix',
    must: ['res.redirect', 'ctx.redirect', 'reply.redirect', 'NextResponse.redirect', 'next/navigation.redirect'],
    mustNot: ['router.redirect', 'res.render'],
  },
  {
    id: 'template',
    kind: 'template',
    callee:
      /^(?:ejs\.render|ejs\.compile|pug\.render|pug\.compile|jade\.render|jade\.compile|(?:handlebars|Handlebars)\.compile|nunjucks\.renderString|(?:lodash|_)\.template|doT\.template|mustache\.render|Mustache\.render|dot\.template)$/,
    args: [0],
    condition: 'any',
    must: ['ejs.render', 'pug.compile', 'Handlebars.compile', 'nunjucks.renderString', '_.template', 'Mustache.render'],
    mustNot: ['res.render', 'ejs.renderFile', 'nunjucks.render'],
  },
];

export interface JsSanitiserEntry {
  id: string;
  callee: RegExp;
  must: string[];
  mustNot: string[];
}

/** Calls whose result is no longer attacker-shaped: casts, schema validation, escaping, basename. */
export const JS_SANITISERS: JsSanitiserEntry[] = [
  {
    id: 'numeric-cast',
    callee: /^(?:Number|parseInt|parseFloat|Boolean|BigInt|Number\.parseInt|Number\.parseFloat|Math\.\w+|Date\.parse|new Date)$/,
    must: ['Number', 'parseInt', 'Number.parseFloat', 'Math.floor', 'Boolean'],
    mustNot: ['String', 'JSON.parse'],
  },
  {
    id: 'schema-validation',
    // zod .parse/.safeParse, valibot parse(), joi/yup validate/validateSync/cast, superstruct create/assert, class-validator.
    callee:
      /(?:^|\.)(?:parse|parseAsync|safeParse|safeParseAsync|validate|validateAsync|validateSync|cast|create|assert|is)$|^(?:matchedData|validateOrReject|plainToInstance|mongoose\.Types\.ObjectId|new (?:mongoose\.Types\.)?ObjectId|ObjectId|isValidObjectId)$/,
    must: ['UserSchema.parse', 'schema.safeParse', 'v.parse', 'schema.validateAsync', 'schema.validateSync', 'matchedData', 'new ObjectId'],
    mustNot: ['JSON.parse', 'url.parse', 'qs.parse', 'querystring.parse', 'path.parse', 'new URL', 'yaml.parse'],
  },
  {
    id: 'escaping',
    callee:
      /(?:^|\.)(?:escape|escapeId|escapeLiteral|escapeIdentifier|format|quote|basename|sanitize|sanitizeFilter|encodeURIComponent)$|^(?:mongo-sanitize|sanitize-filename|shell-quote\.quote|validator\.\w+|path\.basename|xss)$/,
    must: [
      'mysql.escape',
      'connection.escape',
      'pool.escapeId',
      'client.escapeLiteral',
      'SqlString.format',
      'shell-quote.quote',
      'path.basename',
      'validator.isInt',
      'mongo-sanitize',
      'encodeURIComponent',
    ],
    mustNot: ['path.join', 'path.resolve', 'util.inspect'],
  },
];

/** Non-sanitising receivers of `.parse`/`.format`: their results keep the taint. */
export const JS_NON_VALIDATING_PARSERS =
  /^(?:JSON|url|qs|querystring|path|yaml|YAML|js-yaml|cookie|util|new URL|URL|Date|node:url|node:path|node:util)\.(?:parse|format|create|is)$/;

/** Calls whose result carries their argument's taint: string helpers and the path joiners. */
export const JS_PROPAGATORS =
  /^(?:String|JSON\.parse|JSON\.stringify|decodeURIComponent|decodeURI|unescape|Buffer\.from|(?:node:)?path\.(?:join|resolve|normalize)|(?:node:)?util\.format|Object\.assign|Object\.values|Object\.keys|Object\.entries|Array\.from|new URL|URL|(?:node:)?url\.parse|(?:qs|querystring)\.parse|atob|btoa)$/;

function matchAny<T extends { callee: RegExp }>(table: readonly T[], callee: string): T | undefined {
  return table.find((e) => e.callee.test(callee));
}

/** Every sink entry a callee matches (`request.get` is both a possible SQL runner and an HTTP client). */
export function jsSinksFor(callee: string): JsSinkEntry[] {
  return JS_SINKS.filter((e) => e.callee.test(callee));
}

export function isJsSanitiser(callee: string): boolean {
  if (JS_NON_VALIDATING_PARSERS.test(callee)) return false;
  return matchAny(JS_SANITISERS, callee) !== undefined;
}

export function jsSourceFor(path: string): JsSourceEntry | undefined {
  return JS_SOURCES.find((e) => e.pattern.test(path));
}

export function jsSourceCallFor(callee: string): JsSourceEntry | undefined {
  return JS_SOURCE_CALLS.find((e) => e.pattern.test(callee));
}
