import type { Endpoint, HttpApp } from '../model/endpoints.js';
import type { FileFacts, Language } from '../model/facts.js';

/**
 * The one seam per language. A language is a folder under src/languages/ whose index.ts exports one
 * LanguagePlugin, plus one line in src/languages/index.ts. Discovery asks `detect`, extraction calls `extract`
 * (parsers load only when a file is extracted: the main thread of a worker scan never loads them), the facts
 * cache keys on `id` and `features`, and the project build calls `resolveEndpoints`.
 */
export interface LanguagePlugin {
  /** Plugin id: 'javascript', 'python', 'config'. */
  id: string;
  /** The file languages it extracts (JavaScript's plugin takes 'javascript' and 'typescript'). */
  languages: readonly Language[];
  /** The language of a file from its lower-cased name (no folders), or null when it is not this plugin's. */
  detect(lowerName: string): Language | null;
  /** Names of the feature extractors that run on each file's tree, in order (part of the cache key). */
  features: readonly string[];
  /** Loads the parser and extractors (done once; extract() loads them too): lets a time budget leave module loading out. */
  load(): Promise<void>;
  /** Parses the file once and runs every feature extractor on its one tree. */
  extract(path: string, language: Language, text: string): Promise<LanguageExtraction>;
  /** Cross-file endpoint resolution over every file's facts (frameworks of this language), when it has any. */
  resolveEndpoints?(files: readonly FileFacts[]): { endpoints: Endpoint[]; apps: HttpApp[] };
}

export interface SyntaxProblem {
  message?: string;
  line: number;
  column: number;
}

/** A feature extractor that threw: the others still ran, and the file's other facts stand. */
export interface ExtractorFault {
  /** The feature extractor's name (`extractJsFlows`). */
  extractor: string;
  message: string;
  /** Where in our code it crashed: the first stack frame under src/ or dist/src/ (`languages/javascript/flow.ts:120`). */
  at?: string;
}

export interface LanguageExtraction {
  facts: FileFacts;
  syntaxErrors: readonly SyntaxProblem[];
  faults: readonly ExtractorFault[];
}

/** The first frame of an error's stack that lies in this project's code, as `folder/file.ts:line`. */
export function ownFrame(error: unknown): string | undefined {
  const stack = (error as { stack?: unknown })?.stack;
  if (typeof stack !== 'string') return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const m = /(?:\/|\\)(?:dist(?:\/|\\))?src(?:\/|\\)([^():]+?\.(?:ts|js)):(\d+)(?::\d+)?\)?\s*$/.exec(line);
    if (m) return `${m[1]!.replace(/\\/g, '/')}:${m[2]}`;
  }
  return undefined;
}

/**
 * Runs each feature extractor on the input, containing faults: an extractor that throws is recorded (name,
 * message, our frame) and the next one runs. What it had written to the facts before throwing stays.
 */
export function runFeatures<I>(features: ReadonlyArray<(input: I) => void>, input: I, faults: ExtractorFault[]): void {
  for (const feature of features) {
    try {
      feature(input);
    } catch (error) {
      const message = ((error as { message?: unknown })?.message ?? String(error)) as string;
      const at = ownFrame(error);
      faults.push({ extractor: feature.name || 'anonymous extractor', message: String(message).split('\n')[0]!, ...(at ? { at } : {}) });
    }
  }
}

/**
 * A module import done once: a plugin's extractor module is loaded on first use and its promise kept, since a
 * dynamic `import()` per file goes through the module loader every time (resolution, a job, a promise: about 60 µs a
 * file on medusa's packages). A failed import is not kept, so the next call tries again.
 */
export function importOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
