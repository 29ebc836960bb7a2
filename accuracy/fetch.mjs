// npm run accuracy:fetch -- [--apps DIR] [--app NAME ...]
//
// Clones every app of accuracy/manifest.json into the apps folder (--apps, env CA_ACCURACY_APPS, default /tmp/apps)
// at its pinned commit, for `npm run accuracy`. Needs network access (https to github.com) and git. An app folder
// that already holds the pinned commit (its .git, or the marker `<name>.accuracy.json` beside it) is left alone; one
// at another commit stops the script (move or delete it yourself: nothing is deleted here).
//
// git runs the way the scanner runs it (docs/security.md): no system or global configuration (so no filter,
// credential helper or hook a user configured), hooks off (core.hooksPath=/dev/null), fsmonitor off, https the only
// transport, no submodules, and a blobless partial clone (--filter=blob:none) checked out at the commit. The
// fetched code is data: nothing in it is run, and it is never committed to this project.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appCommit, DEFAULT_APPS, fail as failWith, git, readManifest } from './common.mjs';

const fail = (m) => failWith('accuracy:fetch', m);
const { values: opts } = parseArgs({
  options: {
    apps: { type: 'string', default: process.env.CA_ACCURACY_APPS ?? DEFAULT_APPS },
    app: { type: 'string', multiple: true },
  },
  strict: true,
});

let manifest;
try {
  manifest = readManifest();
} catch (e) {
  fail(e.message);
}
const appsDir = resolve(opts.apps);
const wanted = opts.app ? new Set(opts.app) : null;
mkdirSync(appsDir, { recursive: true });

let failures = 0;
for (const app of manifest) {
  if (wanted && !wanted.has(app.name)) continue;
  const dir = join(appsDir, app.name);
  if (existsSync(dir)) {
    const { commit, how } = appCommit(appsDir, app.name);
    if (commit === app.commit) {
      console.error(`accuracy:fetch: ${app.name}: already at ${app.commit} (${how})`);
      continue;
    }
    console.error(`accuracy:fetch: ${app.name}: ${dir} exists and is not at ${app.commit}; move it away and run again`);
    failures += 1;
    continue;
  }
  try {
    console.error(`accuracy:fetch: ${app.name}: cloning https://github.com/${app.repo} at ${app.commit}`);
    git(['clone', '--quiet', '--no-checkout', '--filter=blob:none', '--no-recurse-submodules', `https://github.com/${app.repo}.git`, dir], {
      network: true,
    });
    // A sparse checkout keeps a subdir-only app small; the whole tree otherwise.
    if (app.subdir) git(['-C', dir, 'sparse-checkout', 'set', '--no-cone', `/${app.subdir}/`], { network: true });
    git(['-C', dir, '-c', 'advice.detachedHead=false', 'checkout', '--quiet', app.commit], { network: true });
    const head = git(['-C', dir, 'rev-parse', 'HEAD']);
    if (head !== app.commit) throw new Error(`HEAD is ${head} after checkout`);
  } catch (e) {
    console.error(`accuracy:fetch: ${app.name}: ${e.message}`);
    failures += 1;
  }
}
process.exit(failures > 0 ? 1 : 0);
