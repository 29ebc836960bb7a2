#!/usr/bin/env node
/**
 * Run by `npm install` in a clone (the `prepare` script, after the build): links this checkout's CLI into
 * node_modules/.bin, so that `npx complianceagent` runs the checkout itself. npm does not link a package's own bin
 * there; without the link `npx` copies the package into its cache, builds that copy again (about 15 s) and keeps
 * running the copy when the checkout changes later. Nothing happens outside a checkout with node_modules (an install
 * from the registry does not run `prepare`); a link that cannot be made (a file system without symlinks) is left
 * to npx's own behaviour.
 */
import { lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const exists = (p) => {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
};
if (exists(modules)?.isDirectory()) {
  const binDir = join(modules, '.bin');
  const link = join(binDir, 'complianceagent');
  try {
    mkdirSync(binDir, { recursive: true });
    if (exists(link)) rmSync(link, { force: true });
    symlinkSync(relative(binDir, join(root, 'bin', 'complianceagent.js')), link);
  } catch (error) {
    console.error(`complianceagent: could not link the CLI into node_modules/.bin (${error.code ?? error.message}); npx will use its own copy`);
  }
}
