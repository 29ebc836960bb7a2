/** A step as src/evidence/ci-steps.ts records it (declared here: ci-steps imports this module). */
interface CiStep {
  type: 'uses' | 'run' | 'image';
  value: string;
}

/**
 * The steps of a Jenkinsfile (Groovy, declarative or scripted), read from its tokens, never its words: the
 * scripts of `sh`, `bat`, `powershell` and `pwsh` steps (`sh 'trivy fs .'`, `sh(script: "…", returnStdout: true)`,
 * triple-quoted scripts), the images jobs run in (`image 'aquasec/trivy'`, `docker.image('…')`), and plugin steps
 * called by name (`snykSecurity(…)`, `dependencyCheck …`). Comments are dropped; a scanner named in an `echo`, an
 * environment variable or a condition is not a step.
 */

type Token = { kind: 'ident' | 'string' | 'punct'; value: string };

/** Plugin steps that run a scanner themselves (name → the `uses` value recorded). */
const PLUGIN_STEPS = new Set(['snykSecurity', 'dependencyCheck', 'dependencyCheckPublisher', 'trivy', 'grype', 'semgrep', 'gitleaks']);
const SHELL_STEPS = new Set(['sh', 'bat', 'powershell', 'pwsh']);

/** Groovy tokens: identifiers (with dots), strings (', ", ''', """; contents unescaped loosely), punctuation. */
export function groovyTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && tokens.length < 200_000) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      let value = '';
      while (j < n && !text.startsWith(quote, j)) {
        if (text[j] === '\\' && j + 1 < n) {
          value += text[j + 1] === 'n' ? '\n' : text[j + 1];
          j += 2;
        } else if (!triple && text[j] === '\n') break;
        else value += text[j++];
      }
      tokens.push({ kind: 'string', value });
      i = j + quote.length;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$.]/.test(text[j]!)) j++;
      tokens.push({ kind: 'ident', value: text.slice(i, j) });
      i = j;
    } else if (/\s/.test(c)) i++;
    else {
      tokens.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

/** The first string argument of a call at `at` (after an optional `(`), or the one named `name:` inside its parentheses. */
function stringArgument(tokens: readonly Token[], at: number, name?: string): string | undefined {
  let k = at;
  if (tokens[k]?.kind === 'string') return tokens[k]!.value;
  // Named arguments without parentheses: `sh label: 'Scan', script: 'trivy fs .'`.
  while (name && tokens[k]?.kind === 'ident' && tokens[k + 1]?.value === ':') {
    if (tokens[k]!.value === name && tokens[k + 2]?.kind === 'string') return tokens[k + 2]!.value;
    k += 3;
    if (tokens[k]?.value !== ',') return undefined;
    k++;
  }
  if (tokens[k]?.value !== '(') return undefined;
  k++;
  if (tokens[k]?.kind === 'string') return tokens[k]!.value;
  if (!name) return undefined;
  for (let depth = 1; k < tokens.length && depth > 0; k++) {
    const t = tokens[k]!;
    if (t.value === '(') depth++;
    else if (t.value === ')') depth--;
    else if (depth === 1 && t.kind === 'ident' && t.value === name && tokens[k + 1]?.value === ':' && tokens[k + 2]?.kind === 'string')
      return tokens[k + 2]!.value;
  }
  return undefined;
}

export function jenkinsSteps(text: string, commandLines: (script: string) => string[]): CiStep[] {
  const tokens = groovyTokens(text);
  const steps: CiStep[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident' || tokens[i - 1]?.value === '.') continue;
    // A map key (`sh: …`) or a named argument is not a call.
    if (tokens[i + 1]?.value === ':') continue;
    if (SHELL_STEPS.has(t.value)) {
      const script = stringArgument(tokens, i + 1, 'script');
      if (script !== undefined) for (const line of commandLines(script)) steps.push({ type: 'run', value: line });
    } else if (t.value === 'image' || t.value === 'docker.image') {
      const image = stringArgument(tokens, i + 1);
      if (image) steps.push({ type: 'image', value: image });
    } else if (PLUGIN_STEPS.has(t.value) && (tokens[i + 1]?.value === '(' || tokens[i + 1]?.kind === 'ident')) {
      steps.push({ type: 'uses', value: t.value });
    }
  }
  return steps;
}
