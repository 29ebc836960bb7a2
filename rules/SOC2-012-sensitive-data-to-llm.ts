import { defineRule, looksLikeTestPath } from '../src/rule-api.js';

type MessageId = 'sensitiveToLlm';

export default defineRule<MessageId>({
  id: 'SOC2-012',
  slug: 'sensitive-data-to-llm',
  title: 'Sensitive data sent to an LLM without redaction',
  description:
    'A prompt, message or embedding input that carries social security numbers, card numbers, health data, dates of birth or other confidential fields sends them to a third-party model provider, where they may be logged, retained or used for training. C1.1 expects confidential data to be identified and C1.2 expects it to be protected in use; a DLP or redaction step before the call is the control auditors look for.',
  remediation:
    'Redact or pseudonymise confidential fields before they reach the prompt (Microsoft Presidio, Google DLP, a project `redact`/`anonymize` function), send only the fields the task needs, and record the provider agreement (zero data retention) as evidence.',
  severity: 'high',
  confidence: 'medium',
  controls: ['C1.1', 'C1.2'],
  cwe: ['CWE-359', 'CWE-201'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    sensitiveToLlm:
      'Sensitive data ({{names}}) goes into the prompt of {{api}} ({{provider}}) with no redaction step in {{where}}. Redact or pseudonymise it (Presidio, a DLP call, a `redact` function) before the LLM call.',
  },
  *check({ files }) {
    for (const file of files) {
      if (!file.llm || looksLikeTestPath(file.path)) continue;
      for (const call of file.llm.calls) {
        if (call.kind === 'model' || call.kind === 'mcp-call' || call.sensitive.length === 0 || call.guards.redaction.length > 0) continue;
        yield {
          messageId: 'sensitiveToLlm',
          data: {
            names: call.sensitive.map((n) => `\`${n}\``).join(', '),
            api: call.api,
            provider: call.provider,
            where: call.function ? `\`${call.function}\`` : 'the module',
          },
          path: file.path,
          range: call.range,
          anchor: `llm-pii:${call.api}:${call.function ?? ''}:${call.sensitive.join(',')}`,
          properties: { provider: call.provider, fields: call.sensitive.join(',') },
        };
      }
    }
  },
});
