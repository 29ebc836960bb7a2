import type { SinkKind } from '../../../model/data-flow.js';
import { memoizeByString } from '../../../model/memo.js';
import type { SinkCondition } from '../../../flow/taint.js';

/**
 * Python taint knowledge for SOC2-004 (Flask, Django, DRF, FastAPI/Starlette, aiohttp): request sources, sinks
 * and sanitisers as data. Callees are matched as written and after import resolution (`from os import system`
 * makes `system(…)` read `os.system`). Every entry proves itself with samples.
 */

export interface PySourceEntry {
  id: string;
  pattern: RegExp;
  /** JSON bodies can carry dicts: operator injection into MongoDB filters. */
  object: boolean;
  must: string[];
  mustNot: string[];
}

const REQ = String.raw`(?:self\.)?(?:request|req)`;

export const PY_SOURCES: PySourceEntry[] = [
  {
    id: 'request-json',
    pattern: new RegExp(String.raw`^${REQ}\.(?:json|data|body|POST|query_params|query|GET)(?:\.|$)`),
    object: true,
    must: ['request.json', 'request.data', 'request.GET.id', 'request.POST', 'self.request.GET', 'request.query_params', 'request.body'],
    mustNot: ['request.user', 'request.method', 'response.json', 'request.session'],
  },
  {
    id: 'request-strings',
    pattern: new RegExp(
      String.raw`^${REQ}\.(?:args|form|values|files|FILES|cookies|COOKIES|headers|META|match_info|path_params|rel_url|url|path|full_path|query_string)(?:\.|$)`,
    ),
    object: false,
    must: [
      'request.args',
      'request.args.q',
      'request.form.name',
      'request.cookies',
      'request.META.HTTP_REFERER',
      'request.match_info.name',
      'request.path_params',
    ],
    mustNot: ['request.user.id', 'request.app', 'flask.request'],
  },
];

/** Calls returning request data: `request.get_json()`, `await request.json()`, `await request.post()`. */
export const PY_SOURCE_CALLS: PySourceEntry[] = [
  {
    id: 'request-readers',
    pattern: new RegExp(String.raw`^${REQ}\.(?:get_json|get_data|json|form|body|post|text|read|stream|data)$`),
    object: true,
    must: ['request.get_json', 'request.json', 'request.form', 'request.post', 'request.body', 'self.request.get_json'],
    mustNot: ['request.user', 'requests.get', 'request.get_full_path2'],
  },
];

export interface PySinkEntry {
  id: string;
  kind: SinkKind;
  callee: RegExp;
  args: number[];
  /** Keyword arguments that are as dangerous as the positions. */
  keywords?: string[];
  condition: SinkCondition;
  /** Only with `shell=True` (subprocess). */
  needsShellTrue?: boolean;
  /** Not with a safe `Loader=` (yaml.load). */
  unlessSafeLoader?: boolean;
  /** Only when the first argument is a dict literal (MongoDB filters). */
  dictLiteral?: boolean;
  /**
   * Only when the enclosing function (or module) turns external entities on (`setFeature(feature_external_ges,
   * True)`, `XMLParser(resolve_entities=True)`) and the call is given a parser.
   */
  needsExternalEntities?: boolean;
  must: string[];
  mustNot: string[];
}

export const PY_SINKS: PySinkEntry[] = [
  {
    id: 'sql-orm-raw',
    kind: 'sql',
    // APIs that only ever take SQL: any string built with request data is injectable.
    callee: /(?:^|\.)(?:objects\.raw|raw|extra|RawSQL|executescript|exec_driver_sql)$|^sqlalchemy\.(?:sql\.)?text$/,
    args: [0],
    keywords: ['where', 'select', 'tables', 'order_by'],
    condition: 'built',
    must: ['Product.objects.raw', 'qs.extra', 'RawSQL', 'sqlalchemy.text', 'conn.executescript', 'Model.objects.filter().extra'],
    mustNot: ['text', 'cursor.execute', 'User.objects.filter'],
  },
  {
    id: 'sql-execute',
    kind: 'sql',
    // A receiver is required: a bare `query(…)` or `run(…)` is some local function, not a driver.
    callee: /\.(?:execute|executemany|executescript|exec_driver_sql|mogrify|from_statement|query|run_sql)$/,
    args: [0],
    keywords: ['where', 'select', 'sql', 'statement', 'query', 'raw_query'],
    condition: 'sql-built',
    must: ['cursor.execute', 'conn.executescript', 'db.session.execute', 'db.engine.execute', 'session.query'],
    mustNot: ['execute', 'execute_task', 'cursor.fetchall', 'User.objects.filter', 'query'],
  },
  {
    id: 'nosql-filter',
    kind: 'nosql',
    callee: /\.(?:find|find_one|find_one_and_update|find_one_and_delete|update_one|update_many|delete_one|delete_many|count_documents|aggregate|replace_one)$/,
    args: [0],
    condition: 'object',
    dictLiteral: true,
    must: ['db.users.find', 'collection.find_one', 'users.update_one'],
    mustNot: ['users.insert_one', 'find'],
  },
  {
    id: 'command-shell',
    kind: 'command',
    callee: /^(?:os\.system|os\.popen|os\.popen[234]|commands\.getoutput|subprocess\.getoutput|subprocess\.getstatusoutput|popen2\.popen[234])$/,
    args: [0],
    condition: 'any',
    must: ['os.system', 'os.popen', 'subprocess.getoutput', 'commands.getoutput'],
    mustNot: ['os.path', 'subprocess.run', 'system'],
  },
  {
    id: 'command-subprocess',
    kind: 'command',
    callee: /^subprocess\.(?:call|run|Popen|check_output|check_call)$/,
    args: [0],
    keywords: ['args'],
    condition: 'any',
    needsShellTrue: true,
    must: ['subprocess.run', 'subprocess.Popen', 'subprocess.check_output'],
    mustNot: ['subprocess.getoutput', 'run'],
  },
  {
    id: 'code-eval',
    kind: 'code',
    callee: /^(?:eval|exec|execfile|compile|builtins\.eval|builtins\.exec)$/,
    args: [0],
    condition: 'any',
    must: ['eval', 'exec', 'compile', 'builtins.eval'],
    mustNot: ['ast.literal_eval', 'cursor.execute', 're.compile'],
  },
  {
    id: 'expression-eval',
    kind: 'code',
    // Pillow's ImageMath.eval runs Python expressions (CVE-2022-22817, CVE-2023-50447); numexpr and pandas' eval/query
    // reach eval() on crafted strings (CVE-2023-39631).
    callee: /^(?:PIL\.ImageMath\.(?:eval|unsafe_eval)|ImageMath\.(?:eval|unsafe_eval)|numexpr\.evaluate|pandas\.eval|simpleeval\.simple_eval)$/,
    args: [0],
    keywords: ['expression'],
    condition: 'any',
    must: ['PIL.ImageMath.eval', 'ImageMath.eval', 'numexpr.evaluate', 'pandas.eval'],
    mustNot: ['ImageMath.lambda_eval', 'eval', 'model.eval', 'df.eval_metrics'],
  },
  {
    id: 'xml-external-entities',
    kind: 'xxe',
    // The stdlib SAX/pulldom parsers and lxml resolve external entities only when configured to; the parser is passed in.
    callee:
      /^(?:xml\.dom\.pulldom\.(?:parseString|parse)|xml\.sax\.(?:parseString|parse)|xml\.dom\.minidom\.(?:parseString|parse)|lxml\.etree\.(?:fromstring|XML|parse))$/,
    args: [0],
    keywords: ['string', 'text', 'source'],
    condition: 'any',
    needsExternalEntities: true,
    must: ['xml.dom.pulldom.parseString', 'xml.sax.parseString', 'lxml.etree.fromstring', 'xml.dom.minidom.parseString'],
    mustNot: ['defusedxml.ElementTree.fromstring', 'parseString', 'json.loads', 'xml.etree.ElementTree.fromstring'],
  },
  {
    id: 'mass-assignment-setattr',
    kind: 'mass-assignment',
    // The request names the attribute written: `setattr(user, request.args['field'], value)`.
    callee: /^(?:setattr|builtins\.setattr)$/,
    args: [1],
    condition: 'any',
    must: ['setattr', 'builtins.setattr'],
    mustNot: ['getattr', 'obj.setattr', 'hasattr'],
  },
  {
    id: 'path-open',
    kind: 'path',
    callee:
      /^(?:open|io\.open|codecs\.open|os\.(?:remove|unlink|rmdir|removedirs|listdir|mkdir|makedirs|rename|open|scandir)|shutil\.(?:rmtree|copy|copyfile|copy2|move|copytree)|flask\.send_file|send_file|FileResponse|starlette\.responses\.FileResponse|fastapi\.responses\.FileResponse|django\.http\.FileResponse|aiofiles\.open)$/,
    args: [0],
    keywords: ['path', 'path_or_file', 'filename_or_fp', 'file'],
    condition: 'any',
    must: ['open', 'os.remove', 'shutil.rmtree', 'flask.send_file', 'FileResponse', 'aiofiles.open'],
    mustNot: ['send_from_directory', 'webbrowser.open', 'os.path.join'],
  },
  {
    id: 'deserialize',
    kind: 'deserialization',
    callee:
      /^(?:pickle|cPickle|_pickle|dill|marshal|shelve|jsonpickle)\.(?:loads|load|decode|open|Unpickler)$|^(?:yaml\.(?:load|unsafe_load|load_all|unsafe_load_all)|pandas\.read_pickle|numpy\.load)$/,
    args: [0],
    condition: 'any',
    unlessSafeLoader: true,
    must: ['pickle.loads', 'marshal.loads', 'yaml.load', 'yaml.unsafe_load', 'jsonpickle.decode', 'dill.loads'],
    mustNot: ['json.loads', 'yaml.safe_load', 'pickle.dumps'],
  },
  {
    id: 'ssrf',
    kind: 'ssrf',
    callee:
      /^(?:requests|httpx|urllib3)\.(?:get|post|put|patch|delete|head|options|request|stream)$|^(?:urllib\.request\.urlopen|urllib2\.urlopen|urlopen|urllib\.request\.Request|urllib\.urlopen|urllib3\.PoolManager\(\)\.request)$/,
    args: [0],
    keywords: ['url'],
    condition: 'no-fixed-prefix',
    must: ['requests.get', 'httpx.post', 'urllib.request.urlopen', 'urlopen', 'requests.request'],
    mustNot: ['session.get', 'request.args.get', 'cache.get'],
  },
  {
    id: 'redirect',
    kind: 'redirect',
    callee:
      /^(?:flask\.redirect|django\.shortcuts\.redirect|HttpResponseRedirect|HttpResponsePermanentRedirect|django\.http\.HttpResponseRedirect|RedirectResponse|fastapi\.responses\.RedirectResponse|starlette\.responses\.RedirectResponse|web\.HTTPFound|aiohttp\.web\.HTTPFound|quart\.redirect)$/,
    args: [0],
    keywords: ['url', 'location', 'redirect_to'],
    condition: 'no-fixed-prefix',
    must: ['flask.redirect', 'django.shortcuts.redirect', 'HttpResponseRedirect', 'RedirectResponse', 'web.HTTPFound'],
    mustNot: ['redirect', 'url_for'],
  },
  {
    id: 'template',
    kind: 'template',
    callee:
      /^(?:flask\.render_template_string|render_template_string|jinja2\.Template|tornado\.template\.Template|jinja2\.Environment\(\)\.from_string|django\.template\.Template|mako\.template\.Template|Template\.from_string|\w+\.from_string|Environment\(\)\.from_string)$/,
    args: [0],
    keywords: ['source', 'text'],
    condition: 'any',
    must: ['flask.render_template_string', 'jinja2.Template', 'env.from_string', 'django.template.Template', 'tornado.template.Template'],
    mustNot: ['render_template', 'string.Template', 'Template'],
  },
];

export interface PySanitiserEntry {
  id: string;
  callee: RegExp;
  must: string[];
  mustNot: string[];
}

export const PY_SANITISERS: PySanitiserEntry[] = [
  {
    id: 'casts',
    callee:
      /^(?:int|float|bool|complex|Decimal|decimal\.Decimal|UUID|uuid\.UUID|len|abs|round|datetime\.\w+|date\.fromisoformat|datetime\.datetime\.\w+|ObjectId|bson\.ObjectId|bson\.objectid\.ObjectId)$/,
    must: ['int', 'float', 'uuid.UUID', 'datetime.fromisoformat', 'ObjectId'],
    mustNot: ['str', 'repr'],
  },
  {
    id: 'escaping',
    callee:
      /^(?:shlex\.quote|pipes\.quote|quote|os\.path\.basename|secure_filename|werkzeug\.utils\.secure_filename|werkzeug\.secure_filename|safe_join|werkzeug\.utils\.safe_join|flask\.safe_join|escape|html\.escape|markupsafe\.escape|bleach\.clean|urllib\.parse\.quote|urllib\.parse\.quote_plus|re\.escape|conn\.escape_string|escape_string|sqlescapy\.sqlescape|url_has_allowed_host_and_scheme|is_safe_url)$/,
    must: ['shlex.quote', 'os.path.basename', 'secure_filename', 'werkzeug.utils.secure_filename', 'html.escape', 'safe_join'],
    mustNot: ['os.path.join', 'shlex.split'],
  },
  {
    id: 'schema-validation',
    // Forms, serializers and pydantic models: data read through them is validated (`form.cleaned_data`).
    callee:
      /(?:^|\.)(?:\w*(?:Form|Serializer|Schema|Model|DTO|Dto|In|Create|Update|Request|Payload|Params|Input))$|(?:^|\.)(?:model_validate|model_validate_json|parse_obj|parse_raw|validate_python|validate_json|validated_data|cleaned_data|load|validate)$/,
    must: [
      'UserForm',
      'forms.ContactForm',
      'UserSerializer',
      'UserSchema().load',
      'schema.load',
      'Item.model_validate',
      'TypeAdapter(T).validate_python',
      'ItemCreate',
    ],
    mustNot: ['json.loads', 'pickle.load', 'yaml.load', 'marshal.load', 'str', 'open'],
  },
];

/** Receivers whose `.load` deserialises rather than validates. */
const DESERIALISING_LOAD = /^(?:json|pickle|cPickle|yaml|marshal|dill|jsonpickle|shelve|numpy|np|torch|joblib)\.load$/;

/** Parser set-up that makes a parser resolve external entities (XXE). */
export const PY_EXTERNAL_ENTITIES = /\bfeature_external_(?:ges|pes)\s*,\s*(?:True|1)\b|\bresolve_entities\s*=\s*True\b|\bno_network\s*=\s*False\b/;

/** Calls whose result carries their argument's data (joins, decoders, string conversions). */
export const PY_PROPAGATORS =
  /^(?:re\.sub|re\.subn|str|repr|bytes|bytearray|format|list|dict|tuple|set|sorted|reversed|json\.loads|json\.dumps|os\.path\.join|os\.path\.abspath|os\.path\.normpath|os\.path\.realpath|os\.path\.expanduser|posixpath\.join|pathlib\.Path|Path|urllib\.parse\.unquote|urllib\.parse\.unquote_plus|unquote|base64\.b64decode|base64\.urlsafe_b64decode|b64decode|codecs\.decode|textwrap\.dedent|\w+\.join)$/;

/**
 * The table look-ups below run every pattern of a table over a callee or path text; the taint walk asks about
 * the same few texts many times per file, so each answer is kept by its text (the tables are constant and their
 * patterns stateless; model/memo.ts drops a table whole when it holds this many texts).
 */
const TABLE_MEMO_LIMIT = 20_000;

const NO_SINKS: readonly PySinkEntry[] = Object.freeze([]);

/** The sink entries whose callee pattern matches (a shared array: callers must not change it). */
export const pySinksFor: (callee: string) => readonly PySinkEntry[] = memoizeByString((callee) => {
  const found = PY_SINKS.filter((e) => e.callee.test(callee));
  return found.length === 0 ? NO_SINKS : Object.freeze(found);
}, TABLE_MEMO_LIMIT);

export const isPySanitiser: (callee: string) => boolean = memoizeByString((callee) => {
  if (DESERIALISING_LOAD.test(callee) || PY_PROPAGATORS.test(callee)) return false;
  return PY_SANITISERS.some((e) => e.callee.test(callee));
}, TABLE_MEMO_LIMIT);

export const pySourceFor: (path: string) => PySourceEntry | undefined = memoizeByString(
  (path) => PY_SOURCES.find((e) => e.pattern.test(path)),
  TABLE_MEMO_LIMIT,
);

export const pySourceCallFor: (callee: string) => PySourceEntry | undefined = memoizeByString(
  (callee) => PY_SOURCE_CALLS.find((e) => e.pattern.test(callee)),
  TABLE_MEMO_LIMIT,
);

/** FastAPI/Starlette parameter annotations that leave a value raw (a pydantic model or `int` validates it). */
export const PY_RAW_ANNOTATION =
  /^(?:str|bytes|dict|Dict(?:\[.*\])?|Any|typing\.Any|object|Optional\[(?:str|dict|Any)\]|(?:str|dict) \| None|List\[str\]|list\[str\]|Union\[str, None\]|Json|Request\b.*)$/;
export const PY_RAW_ANNOTATION_SAMPLES = {
  must: ['str', 'Optional[str]', 'str | None', 'dict', 'Dict[str, Any]', 'Any', 'List[str]'],
  mustNot: ['int', 'UserCreate', 'UUID', 'Optional[int]', 'Session', 'float'],
};

/** Route decorators of FastAPI/Starlette routers, Flask apps/blueprints, aiohttp route tables. */
export const PY_ROUTE_DECORATOR = /^(?:\w+\.)*(?:get|post|put|patch|delete|api_route|route|websocket|head|options)\(/;

/**
 * Graphene resolvers: `resolve_<field>(self, info, …)` on an ObjectType and `mutate(root, info, …)` on a Mutation:
 * the parameters after `info` are the client's GraphQL arguments (request data), in a file that imports graphene.
 */
export const PY_GRAPHQL_RESOLVER = /^(?:resolve_\w+|mutate)$/;
export const PY_GRAPHQL_RESOLVER_SAMPLES = {
  must: ['resolve_pastes', 'resolve_system_diagnostics', 'mutate'],
  mustNot: ['resolve', 'mutate_all', 'resolver', 'resolve_'],
};
