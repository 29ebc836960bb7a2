/**
 * SARIF artifact URIs and absolute-root hygiene: every path becomes a repo-root-relative URI reference (no `./`, no
 * `file:`, no backslashes, never absolute), and the absolute scan root never appears in any text.
 */

export interface PathNormaliser {
  /** A repo-root-relative URI reference for `path`, or `undefined` when it cannot be one. */
  (path: string): string | undefined;
  /** `path` with the scan root hidden, for error messages. */
  redact(path: string): string;
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:\//;

function posixRoot(root: string): string {
  return root.replace(/\\/g, '/').replace(/\/+$/, '');
}

export function makePathNormaliser(root: string, repoPrefix: string): PathNormaliser {
  const rootPosix = posixRoot(root);
  const prefix = repoPrefix
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+|\/+$/g, '');
  const normalise = ((input: string): string | undefined => {
    let path = input.replace(/\\/g, '/');
    if (/^file:/i.test(path)) {
      try {
        path = decodeURIComponent(new URL(path).pathname);
        if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
      } catch {
        return undefined;
      }
    }
    if (path.startsWith('/') || WINDOWS_ABSOLUTE.test(path)) {
      // An absolute path under the scanned root: make it repo-relative. Anything else cannot be shown.
      if (rootPosix.length > 0 && (path === rootPosix || path.startsWith(`${rootPosix}/`))) {
        const rest = path.slice(rootPosix.length).replace(/^\/+/, '');
        path = prefix ? (rest ? `${prefix}/${rest}` : prefix) : rest;
      } else {
        return undefined;
      }
    }
    const segments: string[] = [];
    for (const segment of path.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (segments.length === 0) return undefined; // escapes the repository
        segments.pop();
        continue;
      }
      segments.push(segment);
    }
    if (segments.length === 0) return undefined;
    return segments.map((segment, i) => encodeSegment(segment, i === 0)).join('/');
  }) as PathNormaliser;
  normalise.redact = (path: string) => makeScrubber(root, repoPrefix)(path);
  return normalise;
}

/** Percent-encode what a URI reference cannot hold literally (space, `#`, `?`, `%`, non-ASCII …). */
function encodeSegment(segment: string, first: boolean): string {
  const encoded = encodeURIComponent(segment).replace(/%(40|2B|2C|3D|24|26|3B)/g, (match) => decodeURIComponent(match));
  // ':' may stay in later segments; in the first one it would read as a URI scheme.
  return first ? encoded : encoded.replace(/%3A/g, ':');
}

/** Replaces the absolute scan root in free text by the repo-relative prefix (or nothing). */
export function makeScrubber(root: string, repoPrefix: string): (text: string) => string {
  const variants = new Set<string>();
  const trimmed = root.replace(/[\\/]+$/, '');
  // Never scrub a filesystem root such as `/` or `C:`: that would mangle every path-like string.
  if (trimmed.length > 0 && !/^[A-Za-z]:$/.test(trimmed)) {
    variants.add(trimmed);
    variants.add(trimmed.replace(/\\/g, '/'));
    variants.add(trimmed.replace(/\//g, '\\'));
  }
  const prefix = repoPrefix.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  const ordered = [...variants].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  // The root, followed by a separator or by something that cannot continue a path segment.
  const pattern = new RegExp(`(?:${ordered.map(escapeRegExp).join('|')})(?:([\\\\/])|(?![\\w.\\-]))`, 'g');
  return (text: string) => text.replace(pattern, (_match, sep: string | undefined) => (prefix ? `${prefix}${sep ? '/' : ''}` : sep ? '' : '.'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
