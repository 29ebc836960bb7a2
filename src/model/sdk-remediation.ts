/**
 * The ComplianceAgent SDK's fix for each rule (docs/sdk.md), shown by `complianceagent rules explain` beside the
 * framework-native fix of the rule's own documentation. Where the SDK has nothing for a rule, the entry says so
 * instead of inventing a fix. The scanner recognises the SDK calls shown here (fixtures under
 * fixtures/rules/SOC2-003, -005, -010/sdk-*, and the endpoint fixtures for access control); SOC2-011's were
 * checked by hand on a LangChain and a Vercel AI tool.
 */

export interface SdkRemediation {
  /** One paragraph: what the SDK does for this rule, or that it has no fix for it. */
  summary: string;
  python?: string;
  typescript?: string;
}

export const SDK_REMEDIATION: Readonly<Record<string, SdkRemediation>> = {
  'SOC2-001': {
    summary:
      "The SDK's access control needs an authenticated user and answers 401 without one, 403 without the role; every decision is recorded as an audit event. Authentication itself (sessions, tokens) stays with your framework.",
    python: '@app.get("/api/reports")\n@access_control(roles=["admin", "support"])\nasync def reports(current_user: User = Depends(get_current_user)): ...',
    typescript: "app.get('/api/reports', requireAuth, accessControl({ roles: ['admin', 'support'] }), handler);",
  },
  'SOC2-002': {
    summary:
      'The SDK has no fix for hard-coded secrets: move the value to the environment or a secret manager (see above). Its own keys follow that rule: field encryption reads COMPLIANCEAGENT_ENCRYPTION_KEYS or a key provider, never a literal.',
  },
  'SOC2-003': {
    summary:
      'Decorate the function that handles the security event: the SDK writes one structured event per call (actor, action, resource, outcome, time, request id; no argument values unless allow-listed), optionally hash-chained so `complianceagent audit verify` detects tampering.',
    python: '@app.post("/account/password")\n@audit_log(action="password_change", regulation="SOC2")\nasync def change_password(...): ...',
    typescript:
      "class AccountService {\n  @auditLog({ action: 'password_change', regulation: 'SOC2' })\n  async changePassword(userId: string, password: string) { … }\n}",
  },
  'SOC2-004': {
    summary: 'The SDK has no input validation: validate with your framework (pydantic, class-validator, zod …) and use parameterised queries (see above).',
  },
  'SOC2-005': {
    summary:
      'Encrypt the field with the SDK: AES-256-GCM, a key id in every value, keys from COMPLIANCEAGENT_ENCRYPTION_KEYS or your key provider, old values still readable after a key rotation. Passwords are hashed, not encrypted: use bcrypt/argon2 (see above).',
    python: 'class Customer(Base):\n    __tablename__ = "customers"\n    ssn = Column(encrypt_field(String))',
    typescript: "@Column({ type: 'text', transformer: { to: (v: string) => encryptField(v), from: (v: string) => decryptField(v) } })\nssn!: string;",
  },
  'SOC2-006': {
    summary: "The SDK has no rate limiter: use your framework's (express-rate-limit, @fastify/rate-limit, slowapi, django-ratelimit; see above).",
  },
  'SOC2-007': {
    summary:
      'The SDK does not shape error responses; answer with a generic message and a reference (see above). Its audit events record a failed call with the exception class name only, never the message, so they do not leak internals either.',
  },
  'SOC2-008': {
    summary: 'Require a role with the SDK: 403 when the user has none of the roles, and every decision recorded as an audit event.',
    python:
      '@router.delete("/users/{user_id}")\n@access_control(roles=["admin"])\nasync def delete_user(user_id: str, current_user: User = Depends(get_current_user)): ...',
    typescript:
      "app.delete('/users/:id', requireAuth, accessControl({ roles: ['admin'] }), handler);     // Express, Koa, Fastify (preHandler)\n@UseGuards(accessControl({ roles: ['admin'] }))                                          // NestJS",
  },
  'SOC2-009': {
    summary: 'The SDK has no session or cookie settings: configure them in your framework (see above).',
  },
  'SOC2-010': {
    summary:
      'Record the data change with the SDK: decorate the handler or the service method that writes, or wrap the handler; the event names the actor from the request context set by access control.',
    python: '@audit_log(action="data_modification", regulation="SOC2")\ndef rename_customer(db: Session, customer_id: int, name: str): ...',
    typescript: "app.post('/articles', auditLog({ action: 'article.create' }, async (req, res) => { … }));",
  },
  'SOC2-011': {
    summary:
      "Record each tool run with the SDK: decorate the Python tool with `audit_log`, or call `recordEvent` in the JS/TS tool's body (write `execute` as a function: the scanner does not look inside `execute: auditLog(…)(fn)`). Events carry the actor from the request context, the action and the outcome, never the arguments unless allow-listed (so no raw prompt).",
    python: '@tool\n@audit_log(action="agent.refund", regulation="SOC2")\ndef refund(order_id: str) -> str: ...',
    typescript:
      "tools: { refund: tool({ description: 'Refund an order', parameters, execute: async ({ orderId }) => {\n  await refundOrder(orderId);\n  recordEvent({ action: 'agent.refund', outcome: 'success', resource: `order:${orderId}` });\n} }) }",
  },
  'SOC2-012': {
    summary: 'The SDK does not redact prompts: send the model only the fields it needs, masked or pseudonymised (see above).',
  },
  'SOC2-013': {
    summary:
      "The SDK has no human-approval step. `access_control(roles=[…])` on the tool checks the acting user's role (the user set with `audit_context(user=…)`) and records the decision, but the scanner does not yet read it as this rule's role check; add the approval step above.",
  },
  'SOC2-014': {
    summary: 'The SDK does not bound agents: set the step, token and time limits of your agent framework (see above).',
  },
  'SOC2-015': {
    summary: 'The SDK does not validate model output: parse it against a schema and never pass it to a shell, eval or raw SQL (see above).',
  },
};

const PY_NAMES = ['access_control', 'audit_log', 'encrypt_field'] as const;
const TS_NAMES = ['accessControl', 'auditLog', 'decryptField', 'encryptField', 'recordEvent'] as const;

/** The SDK section of a rule's explanation, as Markdown; undefined for a rule without an entry. */
export function sdkRemediationMarkdown(ruleId: string): string | undefined {
  const entry = SDK_REMEDIATION[ruleId];
  if (!entry) return undefined;
  const parts = ['## Fix with the ComplianceAgent SDK', '', entry.summary, ''];
  const used = (code: string, names: readonly string[]) => names.filter((n) => new RegExp(`\\b${n}\\b`).test(code)).join(', ');
  if (entry.python) parts.push('```python', `from complianceagent import ${used(entry.python, PY_NAMES)}`, '', entry.python, '```', '');
  if (entry.typescript) parts.push('```ts', `import { ${used(entry.typescript, TS_NAMES)} } from 'complianceagent/sdk';`, '', entry.typescript, '```', '');
  if (entry.python || entry.typescript) parts.push('Install and API: docs/sdk.md.', '');
  return parts.join('\n');
}

/** Inserts the SDK section after the rule doc's "How to fix" section (appended when the doc has none). */
export function withSdkRemediation(ruleId: string, doc: string): string {
  const section = sdkRemediationMarkdown(ruleId);
  if (!section) return doc;
  const lines = doc.split('\n');
  const fix = lines.findIndex((l) => /^## How to fix/.test(l));
  const next = fix < 0 ? -1 : lines.findIndex((l, i) => i > fix && /^## /.test(l));
  if (next < 0) return `${doc.trimEnd()}\n\n${section}`;
  return [...lines.slice(0, next), ...section.split('\n'), ...lines.slice(next)].join('\n');
}
