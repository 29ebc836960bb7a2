/** `hardcoded-secret` → `HardcodedSecret`: a rule's name (`Finding.ruleName`, SARIF `reportingDescriptor.name`). */
export function pascalCase(slug: string): string {
  return slug
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** Rows of a plain-text table: each column padded to its widest cell (the last one not), two spaces apart. */
export function alignColumns(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** CSV with LF line ends (RFC 4180 quoting): the `endpoints` and `agents` inventories. */
export function toLfCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const field = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `${[header, ...rows].map((r) => r.map(field).join(',')).join('\n')}\n`;
}
