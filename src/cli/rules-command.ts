import type { Command } from 'commander';
import { RULES } from '../../rules/index.js';
import { RULE_CONTROLS } from '../model/control-catalog.js';
import { readRuleDoc } from '../util/rule-docs.js';
import { withSdkRemediation } from '../model/sdk-remediation.js';
import { UsageError } from '../errors.js';
import { didYouMean } from '../config/suggest.js';
import type { Io } from './io.js';

export function registerRules(program: Command, io: Io): void {
  const rules = program.command('rules').description('list the rules with severity and SOC 2 controls');
  rules.action(() => {
    const built = new Map(RULES.map((r) => [r.id, r] as const));
    const rows = Object.entries(RULE_CONTROLS).map(([id, meta]) => {
      const rule = built.get(id as (typeof RULES)[number]['id']);
      return [id, rule ? rule.severity : meta.severity, meta.controls.join(', '), rule ? rule.title : `${meta.slug} (not available yet)`];
    });
    const header = ['RULE', 'SEVERITY', 'CONTROLS', 'TITLE'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
    io.stdout(`${[line(header), ...rows.map(line)].join('\n')}\n`);
  });
  rules
    .command('explain')
    .description("print a rule's documentation")
    .argument('<id>', 'rule id, e.g. SOC2-002')
    .action((id: string) => {
      const ruleId = id.toUpperCase();
      if (!(ruleId in RULE_CONTROLS)) {
        const near = didYouMean(id, Object.keys(RULE_CONTROLS));
        throw new UsageError(`unknown rule '${id}'${near ? ` (did you mean '${near}'?)` : ''}`, 'run `complianceagent rules` to list them');
      }
      const doc = RULES.some((r) => r.id === ruleId) ? readRuleDoc(ruleId) : undefined;
      if (!doc) throw new UsageError(`${ruleId} is not available yet in this version`, 'run `complianceagent rules` to list the available rules');
      // The SDK's fix beside the framework-native one (src/model/sdk-remediation.ts), after the doc's "How to fix".
      const text = withSdkRemediation(ruleId, doc);
      io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    });
}
