import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The package root, found from this module whether it runs from src/ (tests) or dist/src/ (built). */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'complianceagent') return dir;
    } catch {
      /* keep looking upwards */
    }
    dir = dirname(dir);
  }
  throw new Error(`complianceagent: package.json not found above ${fileURLToPath(import.meta.url)}`);
}

export const PACKAGE_ROOT = findPackageRoot();
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

export const TOOL_NAME = 'complianceagent';
export const TOOL_VERSION = pkg.version;
