/**
 * Calls that read an environment variable (or a setting backed by one) with a fallback literal:
 * `os.environ.get('X', '…')`, `os.getenv('X', default='…')`, python-decouple `config('X', default='…')`,
 * django-environ / environs `env('X', default='…')`, `env.str('X', '…')`.
 * The variable name is the first positional argument; the fallback is the second positional argument or the
 * `default=` keyword. (django-environ's `env('X', cast, …)` takes a type second, never a string literal, so a
 * string there is a fallback for every library listed.)
 */
const ENV_READ_CALLEES = new Set([
  'os.environ.get',
  'os.environ.setdefault',
  'environ.get',
  'environ.setdefault',
  'os.getenv',
  'getenv',
  'config',
  'decouple.config',
  'env',
]);

/** Receivers whose every method reads the environment (`env.str`, `env.db_url`, `env.bool` …). */
const ENV_READER_OBJECTS = new Set(['env']);

/** The mapping read by subscript: `os.environ['X']`. */
const ENV_MAPPINGS = new Set(['os.environ', 'environ']);

export const ENV_DEFAULT_KEYWORD = 'default';

/** True for a call written as `parts.join('.')` that reads an environment variable. */
export function isEnvReadCall(parts: readonly string[]): boolean {
  if (ENV_READ_CALLEES.has(parts.join('.'))) return true;
  return parts.length === 2 && ENV_READER_OBJECTS.has(parts[0]!) && !parts[1]!.endsWith('()');
}

/** True for the object of a subscript read such as `os.environ['X']`. */
export function isEnvMapping(parts: readonly string[]): boolean {
  return ENV_MAPPINGS.has(parts.join('.'));
}

/** Samples for the table test: called names that must or must not count as environment reads. */
export const ENV_READ_SAMPLES = {
  match: ['os.environ.get', 'os.getenv', 'environ.get', 'getenv', 'config', 'decouple.config', 'env', 'env.str', 'env.db_url', 'os.environ.setdefault'],
  noMatch: ['os.environ.pop', 'app.config.get', 'settings.get', 'environment.get', 'my_env.str', 'os.get', 'env.str.lower', 'dict.get'],
} as const satisfies Record<'match' | 'noMatch', readonly string[]>;
