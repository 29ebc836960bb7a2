import type { FileFacts } from './facts.js';
import type { LlmTool } from './llm.js';
import { effectOfCall } from './llm-effects.js';

/**
 * Tools kept as data and run by name (`{"method": "create_refund", "description": …, "args_schema": …}` dispatched by
 * `StripeAPI.run(method)` to `functions.create_refund`) have no body in their own file. Across the project, the body
 * is the one module-level function of that exact name in the same language (from the audit facts every file has):
 * its calls give the tool's effects, its logging calls the audit guard. Two or more such functions: left unresolved.
 */
export function withDispatchedTools(files: readonly FileFacts[]): readonly FileFacts[] {
  if (!files.some((f) => f.llm?.tools.some((t) => t.runByName))) return files;
  const byName = new Map<string, Array<{ file: FileFacts; fn: NonNullable<FileFacts['auditFacts']>['functions'][number] }>>();
  for (const file of files)
    for (const fn of file.auditFacts?.functions ?? []) {
      if (fn.className || fn.name !== fn.qualifiedName) continue;
      const key = `${file.language === 'python' ? 'python' : 'javascript'}:${fn.name}`;
      byName.set(key, [...(byName.get(key) ?? []), { file, fn }]);
    }
  return files.map((file) => {
    if (!file.llm?.tools.some((t) => t.runByName)) return file;
    const language = file.language === 'python' ? 'python' : 'javascript';
    const tools = file.llm.tools.map((t): LlmTool => {
      const found = t.runByName ? byName.get(`${language}:${t.name}`) : undefined;
      if (found?.length !== 1) return t;
      const { file: home, fn } = found[0]!;
      const effects = [...t.effects];
      for (const c of fn.calls) {
        // `stripe.Refund.create` from `import stripe`: the module named as in the code, so a Stripe object is not an ORM model.
        const module = c.module && c.imported === '*' && c.receiver && !c.module.startsWith('.') ? `${c.module}.` : '';
        const api = c.receiver ? `${module}${c.receiver}.${c.name}` : c.name;
        const kind = effectOfCall(language, api, api);
        if (kind && !effects.some((e) => e.kind === kind && e.api === api)) effects.push({ kind, api, line: c.line });
      }
      const audit = fn.logs.filter((l) => l.strength === 'audit' || l.strength === 'logger').map((l) => l.api);
      return { ...t, via: `${t.via} → ${home.path}:${fn.name}`, effects, guards: { ...t.guards, audit: [...new Set([...t.guards.audit, ...audit])] } };
    });
    return { ...file, llm: { ...file.llm, tools } };
  });
}
