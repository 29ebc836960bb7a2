import type { ToolEffect } from './llm.js';
import { classifyWrite } from './audit-writes.js';

/**
 * What a tool body does and which guards surround an LLM call, as call-name tables with samples
 * (test/rules/llm-tables.test.ts). Callees are dotted as written (`stripe.refunds.create`, `subprocess.run`).
 */

export interface EffectTable {
  kind: ToolEffect;
  pattern: RegExp;
  must: string[];
  mustNot: string[];
}

/** In priority order: a call takes the first effect that matches. */
export const EFFECT_TABLES: readonly EffectTable[] = [
  {
    kind: 'exec',
    pattern:
      /^(eval|exec|execSync|execFile|execFileSync|spawn|spawnSync|execa|new Function|Function|(child_process|cp|childProcess)\.\w+|subprocess\.(run|call|Popen|check_output|check_call|getoutput|getstatusoutput)|os\.(system|popen|exec\w*|spawn\w*)|vm\.run\w+|shell\.exec|asyncio\.create_subprocess_(shell|exec))$/,
    must: ['subprocess.run', 'os.system', 'child_process.exec', 'execSync', 'eval', 'vm.runInNewContext'],
    mustNot: ['cursor.execute', 'db.exec', 'run', 'executor.submit'],
  },
  {
    kind: 'pay',
    pattern:
      /(^|\.)(charges|paymentIntents|payment_intents|PaymentIntent|Charge|refunds|Refund|transfers|Transfer|payouts|Payout)\.(create|confirm|capture|pay)$|(^|\.)(invoices|Invoice)\.(pay|finalizeInvoice|finalize_invoice)$|(^|\.)(charge_?card|chargeCard|refund_?payment|refundPayment|issue_?refund|issueRefund|send_?payment|sendPayment|create_?payment|createPayment|capture_?payment|capturePayment|transfer_?funds|transferFunds|make_?payment|makePayment|pay_?invoice|payInvoice)$/,
    // Creating an invoice makes a draft; finalizing one charges the customer's default payment method.
    must: [
      'stripe.refunds.create',
      'stripe.paymentIntents.create',
      'stripe.PaymentIntent.create',
      'issue_refund',
      'payments.transferFunds',
      'stripe.invoices.finalizeInvoice',
    ],
    mustNot: ['stripe.customers.list', 'refunds.list', 'payment_status', 'stripe.invoices.create'],
  },
  {
    kind: 'send',
    pattern:
      /(^|\.)(send_?mail|sendMail|send_?email|sendEmail|send_mass_mail|sendmail|send_message|send_?sms|sendSms|sendSMS|chat_postMessage|send_notification|sendNotification)$|(^|\.)(mail|mailer|transporter|smtp|sgMail|resend\.emails|emails|ses|sns|slack\.chat|client\.chat|twilio\.messages|twilioClient\.messages)\.(send|sendMail|sendmail|sendEmail|send_message|send_email|create|postMessage|publish)$/,
    must: ['transporter.sendMail', 'send_mail', 'smtp.sendmail', 'resend.emails.send', 'sgMail.send', 'slack.chat.postMessage', 'twilio.messages.create'],
    mustNot: ['client.messages.create', 'res.send', 'socket.send', 'sendFile', 'server.server.sendResourceUpdated'],
  },
  {
    kind: 'permission',
    pattern:
      /(^|\.)(grant_?(role|permission|access|admin)\w*|grantRole|grantPermission|grantAccess|revoke_?(role|permission|access)\w*|revokeRole|revokePermission|revokeAccess|set_?role|setRole|add_?role|addRole|assign_?role|assignRole|remove_?role|removeRole|add_?permission|addPermission|make_?admin|makeAdmin|set_?permissions|setPermissions|attach_(user|role|group)_policy|put_(user|role)_policy|add_user_to_group|create_access_key)$/,
    must: ['grant_role', 'user.setRole', 'iam.attach_user_policy', 'rbac.assignRole', 'make_admin'],
    mustNot: ['get_role', 'hasRole', 'check_permission'],
  },
  {
    kind: 'delete',
    pattern:
      /(^|\.)(delete_one|delete_many|deleteOne|deleteMany|destroy|drop_table|dropTable|truncate|rmtree|unlink|unlinkSync|rmSync|rmdir|rmdirSync|delete_object|deleteObject|delete_objects|deleteObjects|findByIdAndDelete|findOneAndDelete|bulk_delete|delete_user|deleteUser|delete_record|deleteRecord|delete_file|deleteFile)$|^(os\.remove|fs\.rm|fs\.remove|fs\.promises\.rm|fs\.promises\.unlink|shutil\.rmtree)$|\.(delete|destroy|drop|purge)(?!Property)[A-Z]\w*$/,
    must: [
      'shutil.rmtree',
      'os.remove',
      'collection.deleteMany',
      'fs.unlinkSync',
      's3.delete_object',
      'User.destroy',
      'branching.deleteBranch',
      'api.dropDatabase',
    ],
    mustNot: ['map.delete', 'items.remove', 'delete_button', 'Reflect.deleteProperty', 'deleteButton', 'ui.deletedAt'],
  },
  {
    kind: 'http',
    pattern:
      /^(fetch|axios|axios\.\w+|got|got\.\w+|ky\.\w+|requests\.\w+|httpx\.\w+|http\.request|https\.request|urllib\.request\.urlopen|urlopen|aiohttp\.request)$/,
    must: ['fetch', 'axios.post', 'requests.get', 'httpx.post'],
    mustNot: ['fetchUser', 'request.json'],
  },
  {
    kind: 'fs',
    pattern:
      /^(fs\.\w+|fs\.promises\.\w+|writeFile|writeFileSync|appendFile|appendFileSync|shutil\.\w+|os\.(rename|makedirs|replace))$|(^|\.)(write_text|write_bytes)$/,
    must: ['fs.writeFileSync', 'writeFile', 'shutil.copy', 'path.write_text'],
    mustNot: ['readFile', 'open'],
  },
];

/** SQL written by a tool: `DELETE FROM`, `DROP TABLE` are deletes; `INSERT`/`UPDATE` are writes. */
const SQL_DELETE = /\b(DELETE\s+FROM|DROP\s+(TABLE|DATABASE|SCHEMA)|TRUNCATE)\b/i;
const SQL_WRITE = /\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET)\b/i;
const SQL_CALL = /(^|\.)(execute|executemany|executescript|query|raw|exec_driver_sql|\$executeRawUnsafe|\$executeRaw|\$queryRawUnsafe)$/;
/** Receivers whose `delete` is a collection operation, not a record or file deletion. */
const NOT_A_STORE =
  /^(map|set|cache|params|headers|searchParams|url|\w*Map|\w*Set|\w*[Cc]ache|dict|self|this|os\.environ|environ|session|request\.session|req\.session)$/;

export function effectOfCall(language: 'javascript' | 'python', callee: string, callText: string): ToolEffect | null {
  for (const t of EFFECT_TABLES) {
    if (t.kind === 'http' || t.kind === 'fs') continue;
    if (t.pattern.test(callee)) return t.kind;
  }
  if (SQL_CALL.test(callee)) {
    if (SQL_DELETE.test(callText)) return 'delete';
    if (SQL_WRITE.test(callText)) return 'write';
  }
  const parts = callee.split('.');
  const receiver = parts.slice(0, -1).join('.');
  if (parts.length >= 2 && /^(delete|remove)$/.test(parts[parts.length - 1]!) && NOT_A_STORE.test(receiver)) return null;
  const write = classifyWrite(language, parts);
  if (write) return write.op === 'delete' ? 'delete' : 'write';
  for (const t of EFFECT_TABLES) if ((t.kind === 'http' || t.kind === 'fs') && t.pattern.test(callee)) return t.kind;
  return null;
}

/** Guards recognised by callee name. */
export const GUARD_CALLS = {
  redaction: {
    pattern:
      /(^|\.|_)(redact\w*|mask_?(pii|email|phone|sensitive|data|text|fields?|ssn|card)\w*|maskPii|maskEmail|maskSensitive\w*|anonymi[sz]e\w*|scrub\w*|sanitize_?pii|sanitizePii|strip_?pii|stripPii|remove_?pii|removePii|deidentify|de_identify|pseudonymi[sz]e\w*|AnalyzerEngine|AnonymizerEngine|Redact\w*|Anonymi[sz]e\w*)$/i,
    must: ['redact', 'redact_pii', 'anonymizer.anonymize', 'this.pii.mask_text', 'scrubSensitive', 'dlp.deidentify', 'maskPii'],
    mustNot: ['mask', 'redis.get', 'task', 'masked_input_field'],
  },
  approval: {
    pattern:
      /(^|\.|_)(approve\w*|Approve\w*|approval|request_?approval\w*|get_?approval|getApproval|confirm\w*|Confirm\w*|require_?approval|requireApproval|request_?approval|requestApproval|ask_?human|askHuman|ask_?user|askUser|human_?in_?the_?loop|humanInTheLoop|interrupt|get_?user_?confirmation|wait_?for_?approval|waitForApproval)$|^input$/,
    must: ['request_approval', 'interrupt', 'confirmAction', 'approvals.wait_for_approval', 'input', 'askHuman'],
    mustNot: ['inputs.get', 'interruptible', 'approval_count'],
  },
  roleCheck: {
    pattern:
      /(^|\.|_)(has_?perm\w*|hasPermission|has_?role|hasRole|has_?any_?role|check_?perm\w*|checkPermission|check_?role|checkRole|require_?role|requireRole|require_?permission|requirePermission|require_?admin|requireAdmin|authori[sz]e|assert_?can|assertCan|is_?admin|isAdmin|can_?access|canAccess|enforce)$|^ability\.can$/,
    must: ['user.has_perm', 'checkPermission', 'require_role', 'authorize', 'enforcer.enforce', 'ability.can'],
    mustNot: ['roles.list', 'permission_denied', 'can'],
  },
} as const;

/** Text of a condition that reads a switch: feature flags, `*_ENABLED` / `*_DISABLED` settings, kill switches. */
export const KILL_SWITCH =
  /\bif\b[^\n]*?\b((?:\w+\.)*\w*(?:ENABLED|DISABLED|KILL_?SWITCH|[Kk]ill_?[Ss]witch|[Ee]nabled|[Dd]isabled|feature_?flag|featureFlag|isFeatureEnabled|is_feature_enabled|variation|flag_is_active)\w*)/;
export const KILL_SWITCH_SAMPLES = {
  must: ['if not settings.AGENT_ENABLED:', 'if (!process.env.AI_ENABLED) return', "if (!(await flags.isEnabled('agent'))) {", 'if kill_switch.active():'],
  mustNot: ['if user:', 'enabled = True', 'if (x) { enable() }'],
};

/** Role comparisons in code (`if user.role != "admin"`, `if (!user.roles.includes('admin'))`). */
export const ROLE_TEXT =
  /\b(?:user|current_?user|currentUser|actor|caller|session\.user|req\.user|request\.user|ctx\.state\.user|auth|authInfo)\??\.(?:role|roles|is_admin|isAdmin|is_superuser|is_staff|permissions|scopes)\b|\b(?:is_admin|isAdmin|is_superuser)\b/;
/** Chat message roles (`m.role === 'user'`) are not authorisation: ROLE_TEXT only reads roles of users. */
export const ROLE_TEXT_SAMPLES = {
  must: ['if user.role != "admin":', "if (!req.user.roles.includes('admin'))", 'if not request.user.is_staff:', "extra.authInfo?.scopes.includes('admin')"],
  mustNot: ["message.role === 'user'", "messages.filter((m) => m.role !== 'system')", "{ role: 'assistant' }"],
};

/** Approval declared on a tool or agent: `needsApproval: true`, `interrupt_before=[…]`, `human_input_mode="ALWAYS"`, HITL middleware. */
export const APPROVAL_OPTION =
  /^(needsApproval|needs_approval|requires_approval|requiresApproval|require_approval|interrupt_before|interruptBefore|interrupt_on|interruptOn|human_input_mode|handoff_approval)$/;

/** Tracing and observability that records every LLM call: imports and calls. */
export const TRACING_MODULES =
  /^(langsmith(\..*)?|langfuse(\..*)?|@langfuse\/.*|langfuse-langchain|@opentelemetry\/.*|opentelemetry(\..*)?|traceloop(\..*)?|@traceloop\/.*|openlit|openinference(\..*)?|@arizeai\/.*|phoenix(\..*)?|arize(\..*)?|weave|agentops|logfire|braintrust|@vercel\/otel|lmnr|@lmnr-ai\/.*|helicone(\..*)?|@helicone\/.*|promptlayer|literalai|mlflow)$/;
export const TRACING_SAMPLES = {
  must: ['langsmith', 'langfuse.decorators', '@langfuse/tracing', '@opentelemetry/api', 'opentelemetry.trace', 'traceloop.sdk', 'logfire', '@vercel/otel'],
  mustNot: ['langchain', 'logging', 'opentracing-helpers'],
};
export const TRACING_CALL = /(^|\.)(wrapOpenAI|wrap_openai|wrapAISDKModel|traceable|observe|CallbackHandler|LangChainTracer|instrument_\w+|configure)$/;

/** Request data as written, per language (the sources of SOC2-004 in short). */
export const REQUEST_TEXT = {
  javascript:
    /\b(req|request|ctx\.request|event)\.(body|query|params)\b|\b(await\s+)?(req|request)\.(json|formData|text)\(\)|\bsearchParams\.get\(|\bformData\.get\(|\bctx\.(query|params)\b/,
  python: /\brequest\.(json|form|args|values|data|GET|POST|query_params|get_json|body|path_params)\b|\bawait\s+request\.(json|form|body)\(\)/,
} as const;

/** Where model output must not go without an allow-list or sandbox. */
export const OUTPUT_SINKS: ReadonlyArray<{ sink: 'eval' | 'exec' | 'shell' | 'sql' | 'dispatch'; pattern: RegExp; language?: 'javascript' | 'python' }> = [
  { sink: 'eval', pattern: /^(eval|exec|compile|new Function|Function|vm\.run\w+|execjs\.eval|js2py\.eval_js)$/ },
  {
    sink: 'shell',
    pattern:
      /^((child_process|cp|childProcess)\.(exec|execSync|spawn|spawnSync|execFile|execFileSync)|subprocess\.(run|call|Popen|check_output|check_call|getoutput|getstatusoutput)|os\.(system|popen)|shell\.exec|execa|execaCommand|asyncio\.create_subprocess_shell)$/,
  },
  {
    sink: 'sql',
    pattern:
      /^((\w+\.)*(cursor|cur|conn|connection|db|database|session|pool|knex|sequelize|prisma|engine|pg|mysql|sqlite|c)\.(execute|executemany|executescript|query|raw|exec_driver_sql|\$queryRawUnsafe|\$executeRawUnsafe|unsafe)|text|sql\.raw|knex\.raw)$/,
  },
  { sink: 'dispatch', pattern: /^(getattr|globals\(\)|locals\(\))$/, language: 'python' },
];
