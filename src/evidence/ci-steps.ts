import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { jenkinsSteps } from './jenkins-steps.js';

/**
 * The steps a CI file runs, read from its YAML structure (never its words): GitHub Actions `uses:` and `run:` per
 * job with the workflow's triggers; GitLab CI, CircleCI, Azure Pipelines, Bitbucket, Drone and Buildkite
 * `script`/`run`/`command`/`commands` entries, images and included templates, Azure `task:` steps, CircleCI orb steps
 * (`- snyk/scan`) and Buildkite plugins (`- docker#v5.9.0:`); Travis CI's lifecycle phases (`install`, `script`,
 * `after_success` …, in `jobs.include` too); Drone's several pipelines (YAML documents) in one file; Jenkinsfiles
 * (Groovy) through src/evidence/jenkins-steps.ts. A scanner named in a comment, an `if:` condition, an environment
 * variable or a regular expression inside a script's string is not a step.
 */

export interface CiStep {
  /** `uses` (an action or a GitLab template), `run` (a shell command line), `image` (a container the job runs in). */
  type: 'uses' | 'run' | 'image';
  value: string;
}

export interface CiSteps {
  /** GitHub Actions `on:` events, sorted; empty for other systems or when absent. */
  triggers: string[];
  steps: CiStep[];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return [];
}

function githubSteps(doc: Record<string, unknown>): CiSteps {
  const on = doc.on ?? doc[true as unknown as string];
  const triggers =
    typeof on === 'string'
      ? [on]
      : Array.isArray(on)
        ? on.filter((t): t is string => typeof t === 'string')
        : on && typeof on === 'object'
          ? Object.keys(on)
          : [];
  const steps: CiStep[] = [];
  const jobs = doc.jobs && typeof doc.jobs === 'object' ? Object.values(doc.jobs as Record<string, unknown>) : [];
  for (const job of jobs) {
    if (!job || typeof job !== 'object') continue;
    const j = job as Record<string, unknown>;
    if (typeof j.uses === 'string') steps.push({ type: 'uses', value: j.uses }); // a reusable workflow
    const container = typeof j.container === 'string' ? j.container : (j.container as { image?: unknown } | undefined)?.image;
    if (typeof container === 'string') steps.push({ type: 'image', value: container });
    for (const step of Array.isArray(j.steps) ? j.steps : []) {
      if (!step || typeof step !== 'object') continue;
      const s = step as Record<string, unknown>;
      if (typeof s.uses === 'string') steps.push({ type: 'uses', value: s.uses });
      if (typeof s.run === 'string') for (const line of commandLines(s.run)) steps.push({ type: 'run', value: line });
      // Actions that run a command given as an input (nick-fields/retry's `command:`, a `script:` input).
      const inputs = s.with && typeof s.with === 'object' ? (s.with as Record<string, unknown>) : {};
      for (const key of ['command', 'run', 'script'])
        if (typeof inputs[key] === 'string') for (const line of commandLines(inputs[key] as string)) steps.push({ type: 'run', value: line });
    }
  }
  return { triggers: [...new Set(triggers.map(String))].sort(), steps };
}

const SCRIPT_KEYS = ['script', 'before_script', 'after_script', 'run', 'command', 'commands', 'bash', 'sh', 'pwsh', 'powershell'];
/** Travis CI's lifecycle phases: each holds commands (`install: npm ci`, `after_success: snyk monitor`). */
const TRAVIS_KEYS = [
  'before_install',
  'install',
  'before_script',
  'script',
  'after_script',
  'after_success',
  'after_failure',
  'before_deploy',
  'after_deploy',
  'before_cache',
];

/** Every `script`-like entry, image and template anywhere in the document (GitLab, CircleCI, Azure, Bitbucket, Drone, Buildkite, Travis). */
function genericSteps(doc: unknown, system: string): CiSteps {
  const steps: CiStep[] = [];
  const scriptKeys = new Set(system === 'Travis CI' ? [...SCRIPT_KEYS, ...TRAVIS_KEYS] : SCRIPT_KEYS);
  const walk = (node: unknown, depth: number): void => {
    if (depth > 12 || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) walk(n, depth + 1);
      return;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (scriptKeys.has(key)) for (const s of strings(value)) for (const line of commandLines(s)) steps.push({ type: 'run', value: line });
      else if (key === 'image' && typeof value === 'string') steps.push({ type: 'image', value });
      else if (key === 'image' && value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string')
        steps.push({ type: 'image', value: (value as { name: string }).name });
      else if ((key === 'template' || key === 'uses' || key === 'orb' || key === 'task') && typeof value === 'string') steps.push({ type: 'uses', value });
      // CircleCI: a step given as a bare string is a command or an orb's command (`- checkout`, `- snyk/scan`).
      else if (key === 'steps' && Array.isArray(value)) for (const step of value) if (typeof step === 'string') steps.push({ type: 'uses', value: step });
      // Buildkite: a plugin is named by its key (`- equinixmetal-buildkite/trivy#v1.18.3: { … }`) or a bare string.
      if (key === 'plugins' && system === 'Buildkite')
        for (const plugin of Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [])
          for (const name of typeof plugin === 'string' ? [plugin] : plugin && typeof plugin === 'object' ? Object.keys(plugin) : [])
            steps.push({ type: 'uses', value: name });
      walk(value, depth + 1);
    }
  };
  walk(doc, 0);
  return { triggers: [], steps };
}

/**
 * The commands of a shell script, one per line and per `&&`, `||`, `;` or `|`; comments dropped; leading
 * environment assignments and `sudo`, `npx`, `pnpm dlx`, `pipx run`, `uvx`, `python -m` wrappers removed, so the
 * command's name comes first.
 */
export function commandLines(script: string): string[] {
  const out: string[] = [];
  for (const raw of script.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '$1').trim();
    if (!line) continue;
    for (let part of line.split(/\s*(?:&&|\|\||;|\|)\s*/)) {
      part = part.trim();
      let previous: string;
      do {
        previous = part;
        part = part
          .replace(/^[A-Za-z_][A-Za-z0-9_]*=\S*\s+/, '')
          .replace(/^(?:sudo|npx|bunx|uvx|exec|time)\s+(?:-\S+\s+)*/, '')
          .replace(/^(?:pnpm|yarn)\s+dlx\s+/, '')
          .replace(/^pipx\s+run\s+/, '')
          .replace(/^python\d*(?:\.\d+)?\s+-m\s+/, '');
      } while (part !== previous);
      if (part) out.push(part);
    }
  }
  return out;
}

/** The steps of one CI file; an unreadable YAML file has none. */
export function readCiSteps(text: string, system: string): CiSteps {
  if (system === 'Jenkins') return { triggers: [], steps: jenkinsSteps(text, commandLines) };
  if (system === 'GitHub Actions') {
    let doc: unknown;
    try {
      doc = parseYaml(text, { maxAliasCount: 100 });
    } catch {
      return { triggers: [], steps: [] };
    }
    return doc && typeof doc === 'object' ? githubSteps(doc as Record<string, unknown>) : { triggers: [], steps: [] };
  }
  // A file may hold several YAML documents (Drone: one pipeline per document); a document with errors has no steps.
  const steps: CiStep[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) continue;
    let doc: unknown;
    try {
      doc = document.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    if (doc && typeof doc === 'object') steps.push(...genericSteps(doc, system).steps);
  }
  return { triggers: [], steps };
}
