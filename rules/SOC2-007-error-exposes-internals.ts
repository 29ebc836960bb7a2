import {
  DEV_ONLY_FILE,
  caughtRevealsInternals,
  defineRule,
  looksLikeTestPath,
  pythonTopLevelNames,
  type ErrorExposure,
  type Severity,
} from '../src/rule-api.js';

type MessageId = 'errorResponse' | 'stackResponse' | 'debugMode';

function messageFor(e: ErrorExposure): MessageId {
  if (e.kind === 'debug-mode') return 'debugMode';
  return /stack|traceback|exc_info|format_exc|sql/i.test(e.what) ? 'stackResponse' : 'errorResponse';
}

/** Stack traces and debug pages show code, paths and queries: one step above a message. */
const SEVERITY: Record<MessageId, Severity> = { stackResponse: 'high', debugMode: 'high', errorResponse: 'medium' };

export default defineRule<MessageId>({
  id: 'SOC2-007',
  slug: 'error-exposes-internals',
  title: 'Error handling exposes internal details',
  description:
    'Exception messages, stack traces and debug pages sent to clients reveal file paths, library versions, SQL and configuration, which helps an attacker and may disclose confidential data. SOC 2 CC7.2 expects errors to be logged and monitored on the server side, and C1.2 expects confidential information to be protected; both fail when internals travel to the client.',
  remediation:
    'Log the full error on the server (with a reference id) and return a generic message with that id; keep debug modes and stack-trace pages off outside development, driven by the environment.',
  severity: 'medium',
  confidence: 'high',
  controls: ['CC7.2', 'C1.2'],
  cwe: ['CWE-209', 'CWE-215', 'CWE-489'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    errorResponse:
      'Error details (`{{what}}`) are sent to the client through `{{via}}`. Log the error server-side and return a generic message with a reference id.',
    stackResponse:
      'A stack trace or internal error data (`{{what}}`) is sent to the client through `{{via}}`. Log it server-side and return a generic message with a reference id.',
    debugMode:
      'Debug mode is on (`{{what}}` in `{{via}}`): clients get stack traces and internals. Drive it from the environment and keep it off in production.',
  },
  *check({ files }) {
    let packages: Set<string> | undefined;
    for (const file of files) {
      if (looksLikeTestPath(file.path)) continue;
      const devFile = DEV_ONLY_FILE.test(file.path);
      for (const e of file.errorExposures ?? []) {
        if (e.devOnly || (e.kind === 'debug-mode' && devFile)) continue;
        // A Python except clause naming only validation, client or project exceptions re-raises feedback written for the client.
        if (e.caught) {
          packages ??= pythonTopLevelNames(files.map((f) => f.path));
          if (!caughtRevealsInternals(e.caught, packages, e.via)) continue;
        }
        const messageId = messageFor(e);
        yield {
          messageId,
          data: { what: e.what, via: e.via },
          path: file.path,
          range: e.range,
          anchor: `${e.kind}:${e.via}:${e.what}`,
          severity: SEVERITY[messageId],
          properties: { exposure: e.kind, cwe: e.kind === 'debug-mode' ? 'CWE-215' : 'CWE-209' },
        };
      }
    }
  },
});
