import type { HandlerSignal } from './endpoints.js';
import type { Range } from '../types.js';

/**
 * Per-file facts the Python web-framework resolvers read (FastAPI, Flask, Django). The extractor stays
 * framework-neutral: it records decorated functions, classes, interesting calls and assignments as small
 * expression summaries; src/frameworks/python/*.ts turn them into endpoints across files.
 */

/** A serialisable summary of a Python expression, deep enough for route decorators, `path()` and `Depends()`. */
export interface PyValue {
  /** Source text on one line. */
  text: string;
  /** Decoded value of a plain string literal. */
  str?: string;
  /** `a.b.c` for identifiers and attribute chains. */
  dotted?: string;
  /** Elements of a list, tuple or set literal. */
  items?: PyValue[];
  /** A call: callee as dotted text, positional and keyword arguments. */
  call?: { callee: string; args: PyValue[]; kwargs: Record<string, PyValue> };
  /** `X[a, b]`: the subscripted value (dotted) and the subscripts (`Annotated[User, Depends(f)]`). */
  subscript?: { value: string; items: PyValue[] };
  /** Dict literal entries with string keys. */
  dict?: Record<string, PyValue>;
}

export interface PyParam {
  name: string;
  annotation?: PyValue;
  default?: PyValue;
}

/** What a function body does that counts as a guard (from the BODY_CHECKS table). */
export interface PyBodyCheck {
  kind: 'authentication' | 'authorization' | 'rate-limit';
  /** Short label of the check, e.g. `not current_user.is_authenticated`. */
  name: string;
  line: number;
}

/** What a handler body does with request identifiers (SOC2-008) and webhook signatures. */
export interface PyHandlerFacts {
  /** The most destructive record access keyed by a parameter or request data. */
  access?: { op: 'read' | 'update' | 'delete'; call: string; name: string; origin: 'param' | 'query' | 'body'; line: number };
  /** The current user constrains a query, or the record's owner is compared with the current user. */
  ownership: boolean;
  verifiesSignature: boolean;
  /** The body only redirects, or checks a CAPTCHA (model/endpoint-public.ts). */
  signals?: HandlerSignal[];
  /** Identifiers naming an unguessable value that the body uses (`token`, `signature`, `code`). */
  capabilityNames?: string[];
  /** Names of functions the body calls that may check a signature (`verify_slack_request`): resolved in the file. */
  helperCalls?: string[];
  /** A secret the client sends (query or body) handed to a check: the credential it presents (model/endpoints.ts). */
  credentialInput?: { name: string; call: string };
  /** The handler's docstring says it needs no authentication (quoted). */
  documentedPublic?: string;
  /** Authorisation decided from a value the client controls (a cookie, header or query value naming a role). */
  clientAuthz?: { what: string; line: number; path?: string };
}

export interface PyFunction {
  name: string;
  /** Enclosing class, for methods. */
  className?: string;
  /** True when defined at module level or in a module-level class (importable by name). */
  topLevel: boolean;
  decorators: PyValue[];
  /** Source ranges of `decorators`, same order (a route's declaration is its decorator). */
  decoratorRanges: Range[];
  params: PyParam[];
  checks: PyBodyCheck[];
  handler?: PyHandlerFacts;
  /**
   * Classes and functions of this file the body returns (`return _Checker(...)`, `return dependency`): what a
   * factory used as `Depends(factory(...))` hands to the framework.
   */
  returns?: string[];
  /**
   * Names an allow-list test lets through before the body rejects (`if Anonymous in self.allowed: return s`):
   * a caller that lists one of them is not rejected.
   */
  passes?: string[];
  line: number;
  range: Range;
}

export interface PyClass {
  name: string;
  bases: PyValue[];
  decorators: PyValue[];
  /** Class-level assignments that matter to views (`permission_classes`, `throttle_classes`, `http_method_names` …). */
  attrs: Record<string, PyValue>;
  /** Names of methods defined in the class body. */
  methods: string[];
  /** The function a class is defined in (a class built by a factory); such a class is not importable by name. */
  enclosing?: string;
  line: number;
  range: Range;
}

/** A call of interest (router mounting, blueprint registration, hooks, middleware). */
export interface PyCall {
  callee: string;
  args: PyValue[];
  kwargs: Record<string, PyValue>;
  /** Name the result is assigned to (`router = APIRouter()`), if any. */
  assignedTo?: string;
  line: number;
  range: Range;
}

/** A name bound to an expression (`urlpatterns = […]`, `CurrentUser = Annotated[…]`, `REST_FRAMEWORK = {…}`). */
export interface PyAssignment {
  name: string;
  value: PyValue;
  /** `+=` extends a list (`urlpatterns += router.urls`). */
  augmented: boolean;
  line: number;
  range: Range;
  /** Ranges of the list items when the value is a list literal (for `path()` declarations). */
  itemRanges?: Range[];
}

export interface PyRouteFacts {
  functions: PyFunction[];
  classes: PyClass[];
  calls: PyCall[];
  assignments: PyAssignment[];
}
