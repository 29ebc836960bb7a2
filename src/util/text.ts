/** `hardcoded-secret` → `HardcodedSecret`: a rule's name (`Finding.ruleName`, SARIF `reportingDescriptor.name`). */
export function pascalCase(slug: string): string {
  return slug
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
