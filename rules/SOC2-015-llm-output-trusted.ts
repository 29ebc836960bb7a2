import { defineRule, looksLikeTestPath, type Match, type Severity } from '../src/rule-api.js';

type MessageId = 'outputToSink' | 'outputDispatch' | 'requestInSystemPrompt';

const SINK_WORDS: Record<string, string> = {
  eval: 'code evaluation',
  exec: 'code execution',
  shell: 'a shell command',
  sql: 'a SQL statement',
  dispatch: 'a function chosen by name',
};
const CWE: Record<string, string> = { eval: 'CWE-94', exec: 'CWE-94', shell: 'CWE-77', sql: 'CWE-89', dispatch: 'CWE-94' };

export default defineRule<MessageId>({
  id: 'SOC2-015',
  slug: 'llm-output-trusted',
  title: 'Model output trusted as code or command',
  description:
    'Model output is attacker-influenced: anyone who can put text in front of the model (a user, a web page, a document, a tool result) can steer it. Running that output as code, a shell command or SQL, or letting it pick the function to call without an allow-list, turns a prompt injection into code execution; placing request text into the system prompt hands the caller the instructions. PI1.1 expects inputs to processing to be validated.',
  remediation:
    'Treat model output as untrusted input: parse it into a schema (structured outputs), map it onto an allow-list of actions, run generated code only in a sandbox, use parameterised queries built from validated fields; keep system prompts constant and pass user text as a user message.',
  severity: 'high',
  confidence: 'medium',
  controls: ['PI1.1'],
  cwe: ['CWE-94', 'CWE-77', 'CWE-1427'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    outputToSink:
      'Output of {{api}} (`{{via}}`) reaches {{what}} through `{{sink}}` with no validation or allow-list: a prompt injection becomes code execution. Parse the output into a schema and map it onto allowed actions.',
    outputDispatch:
      'Output of {{api}} (`{{via}}`) chooses the function to run through `{{sink}}` without an allow-list: the model can call any function in scope. Look the name up in an explicit dict of allowed tools.',
    requestInSystemPrompt:
      "Request data (`{{source}}`) is placed into the system prompt ({{via}}) of {{api}}: the caller can rewrite the model's instructions (prompt injection). Keep the system prompt constant and pass user text as a user message.",
  },
  *check({ files }): Generator<Match<MessageId>> {
    for (const file of files) {
      if (!file.llm || looksLikeTestPath(file.path)) continue;
      for (const call of file.llm.calls) {
        for (const flow of call.outputSinks) {
          const severity: Severity = flow.sink === 'sql' ? 'high' : 'critical';
          yield {
            messageId: flow.sink === 'dispatch' ? 'outputDispatch' : 'outputToSink',
            data: { api: call.api, via: flow.via, what: SINK_WORDS[flow.sink]!, sink: flow.api },
            path: file.path,
            range: flow.range,
            anchor: `llm-sink:${flow.sink}:${flow.api}:${call.function ?? ''}`,
            severity,
            confidence: 'high',
            properties: { sink: flow.sink, cwe: CWE[flow.sink]! },
          };
        }
      }
      for (const p of file.llm.systemPrompts) {
        yield {
          messageId: 'requestInSystemPrompt',
          data: { source: p.source, via: p.via, api: p.api },
          path: file.path,
          range: p.range,
          anchor: `llm-system:${p.api}:${p.function ?? ''}:${p.source}`,
          severity: 'medium',
          confidence: 'medium',
          properties: { cwe: 'CWE-1427' },
        };
      }
    }
  },
});
