import type { ErrorCode } from 'yaml';

/**
 * Reading YAML that came from a scanned repository: messages that never quote the file, and a cap on alias
 * expansion ("billion laughs"). Shared by the configuration and the ignore file.
 */

/** Aliases a YAML file of ours may expand; more is an alias bomb, refused before it grows. */
export const MAX_CONFIG_ALIASES = 100;

const YAML_PROBLEMS: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'a tab used for indentation (indent with spaces)',
  DUPLICATE_KEY: 'a key appears twice in the same mapping',
  BLOCK_AS_IMPLICIT_KEY: "a key spans several lines, or a ': ' is missing",
  MULTILINE_IMPLICIT_KEY: "a key spans several lines, or a ': ' is missing",
  MISSING_CHAR: "a closing bracket or quote, a comma or a ': ' is missing",
  UNEXPECTED_TOKEN: 'unexpected character',
  BAD_SCALAR_START: 'a value starts with a character that needs quotes',
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string',
  MULTIPLE_DOCS: "more than one YAML document (remove the '---')",
  BAD_ALIAS: 'an alias (*name) used incorrectly',
  ALIAS_PROPS: 'an alias (*name) with an anchor or tag',
  MULTIPLE_ANCHORS: 'a node with two anchors',
  MULTIPLE_TAGS: 'a node with two tags',
  BAD_PROP_ORDER: 'an anchor or tag in the wrong place',
  TAG_RESOLVE_FAILED: 'an unsupported YAML tag',
  BAD_COLLECTION_TYPE: 'a YAML tag that does not fit its value',
  BAD_DIRECTIVE: 'an invalid % directive',
  BLOCK_IN_FLOW: 'a block value inside [ ] or { }',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  NON_STRING_KEY: 'a key that is not text',
  RESOURCE_EXHAUSTION: 'too many aliases (a YAML alias bomb?)',
};

export function describeYamlError(code: ErrorCode): string {
  return `invalid YAML: ${YAML_PROBLEMS[code] ?? code.toLowerCase().replace(/_/g, ' ')}`;
}
