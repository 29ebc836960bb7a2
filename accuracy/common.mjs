// Shared by run.mjs and fetch.mjs: the manifest, the apps folder, git without side effects.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ACCURACY = join(ROOT, 'accuracy');
export const DEFAULT_APPS = '/tmp/apps';

export function fail(tool, message) {
  console.error(`${tool}: ${message}`);
  process.exit(2);
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const COMMIT = /^[0-9a-f]{40}$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9_-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const KINDS = new Set(['vulnerable', 'well-kept']);

/** Reads and checks accuracy/manifest.json; returns its apps. Throws with every problem found. */
export function readManifest(file = join(ACCURACY, 'manifest.json')) {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const problems = [];
  const seen = new Set();
  for (const [i, app] of (manifest.apps ?? []).entries()) {
    const at = `apps[${i}]${app?.name ? ` (${app.name})` : ''}`;
    if (!NAME.test(app?.name ?? '')) problems.push(`${at}: name must be a plain folder name`);
    if (seen.has(app.name)) problems.push(`${at}: duplicate name`);
    seen.add(app.name);
    if (!REPO.test(app.repo ?? '')) problems.push(`${at}: repo must be owner/name`);
    if (!COMMIT.test(app.commit ?? '')) problems.push(`${at}: commit must be 40 lower-case hex digits`);
    if (!KINDS.has(app.kind)) problems.push(`${at}: kind must be vulnerable or well-kept`);
    if (app.subdir != null && (typeof app.subdir !== 'string' || app.subdir.split('/').some((p) => p === '..' || p === '') || app.subdir.startsWith('/')))
      problems.push(`${at}: subdir must be a relative path inside the repository`);
  }
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return manifest.apps;
}

/** Environment for git: no system or global configuration (no user-defined filters, hooks, helpers), no prompts, no pager. */
export function gitEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_NO_REPLACE_OBJECTS: '1',
    LC_ALL: 'C',
  };
}

/** `-c` overrides for every git call of the harness: hooks, fsmonitor, pager, external diff, credential helpers off. */
export const SAFE_GIT = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.pager=cat',
  '-c',
  'diff.external=',
  '-c',
  'credential.helper=',
  '-c',
  'core.askPass=',
  '-c',
  'submodule.recurse=false',
  '-c',
  'safe.bareRepository=explicit',
];

/** Runs git with the overrides above (and transport off unless `network`); returns trimmed stdout or throws. */
export function git(args, { cwd, network = false } = {}) {
  const transport = network ? ['-c', 'protocol.allow=never', '-c', 'protocol.https.allow=always'] : ['-c', 'protocol.allow=never'];
  const r = spawnSync('git', [...SAFE_GIT, ...transport, ...args], { cwd, env: gitEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`git ${args[0]} failed: ${(r.stderr || '').trim().split('\n').pop()}`);
  return r.stdout.trim();
}

/** The marker beside an app folder that a snapshot without .git carries: `<DIR>/<name>.accuracy.json` = { repo, commit }. */
export function markerPath(appsDir, name) {
  return join(appsDir, `${name}.accuracy.json`);
}

/**
 * Which commit the app folder holds: from its .git (HEAD), else from the marker beside it, else unknown.
 * Returns { commit, how: 'git' | 'marker' | null }.
 */
export function appCommit(appsDir, name) {
  const dir = join(appsDir, name);
  if (existsSync(join(dir, '.git'))) {
    try {
      return { commit: git(['--git-dir', join(dir, '.git'), 'rev-parse', 'HEAD']), how: 'git' };
    } catch {
      return { commit: null, how: 'git' };
    }
  }
  const marker = markerPath(appsDir, name);
  if (existsSync(marker)) {
    try {
      return { commit: JSON.parse(readFileSync(marker, 'utf8')).commit ?? null, how: 'marker' };
    } catch {
      return { commit: null, how: 'marker' };
    }
  }
  return { commit: null, how: null };
}
