import { defineRule, looksLikeTestPath, type Match, type LlmGuards } from '../src/rule-api.js';

type MessageId = 'limitDisabled' | 'noStop' | 'unboundedLoop';

const killSwitched = (g: LlmGuards): boolean => g.killSwitch.length > 0;

export default defineRule<MessageId>({
  id: 'SOC2-014',
  slug: 'unbounded-agent',
  title: 'Unbounded agent loop',
  description:
    'An agent that can loop without a step limit, a token budget or a timeout, and that no switch can turn off, can run up cost, exhaust provider quotas and keep acting after something went wrong. A1.1 expects capacity to be managed against demand, and the processing-integrity criteria expect budgets and a kill switch for automated processing: the seed guide names token budgets and a kill switch among the agent controls.',
  remediation:
    'Bound every agent: a step or iteration limit (`max_iterations`, `recursion_limit`, `maxSteps`/`stopWhen`, `max_turns`, a termination condition), a token budget (`max_tokens`, usage limits), a timeout, and a feature flag or configuration switch read at run time that can disable the agent.',
  severity: 'medium',
  confidence: 'medium',
  controls: ['A1.1'],
  cwe: ['CWE-770', 'CWE-400'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    limitDisabled:
      'Agent {{api}} ({{framework}}) has its step limit switched off ({{disabled}}) and no token budget, timeout or kill switch: it can loop without end. Set a finite limit and a budget, and read a switch that can disable it.',
    noStop:
      'Agent team {{api}} ({{framework}}) has no termination condition or max_turns, no token budget, no timeout and no kill switch: it runs until something else stops it. Give it a termination condition or max_turns.',
    unboundedLoop:
      'LLM call {{api}} runs inside an unbounded loop (`while True` / `for (;;)`) with no step count, no timeout and no kill switch (a per-call max_tokens bounds one step, not the loop): a hand-written agent loop with no end. Count the steps and stop at a limit.',
  },
  *check({ files }): Generator<Match<MessageId>> {
    for (const file of files) {
      if (!file.llm || looksLikeTestPath(file.path)) continue;
      for (const agent of file.llm.agents) {
        const l = agent.limits;
        if (l.tokens.length > 0 || l.timeout.length > 0 || killSwitched(agent.guards)) continue;
        if (l.disabled.length > 0 && l.steps.length === 0) {
          yield {
            messageId: 'limitDisabled',
            data: { api: agent.api, framework: agent.framework, disabled: l.disabled.join(', ') },
            path: file.path,
            range: agent.range,
            anchor: `agent-limit:${agent.api}:${agent.function ?? ''}`,
            confidence: 'high',
          };
        } else if (!agent.defaultStepLimit && l.steps.length === 0 && l.disabled.length === 0) {
          yield {
            messageId: 'noStop',
            data: { api: agent.api, framework: agent.framework },
            path: file.path,
            range: agent.range,
            anchor: `agent-stop:${agent.api}:${agent.function ?? ''}`,
          };
        }
      }
      for (const call of file.llm.calls) {
        if (!call.inUnboundedLoop || call.kind === 'embedding' || call.kind === 'model') continue;
        const l = call.limits;
        // `max_tokens` bounds one step, not the loop (Anthropic requires it on every call): only a timeout, a step option or a switch count.
        if (l.timeout.length > 0 || l.steps.length > 0 || killSwitched(call.guards)) continue;
        // A REPL reading the user's next line is paced by a human, not by the model.
        if (call.guards.approval.includes('input')) continue;
        yield {
          messageId: 'unboundedLoop',
          data: { api: call.api },
          path: file.path,
          range: call.range,
          anchor: `agent-loop:${call.api}:${call.function ?? ''}`,
          confidence: 'medium',
        };
      }
    }
  },
});
