import PDFDocument from 'pdfkit';

/**
 * Layout helpers for the PDF report on top of pdfkit: headings that register in the table of contents,
 * tables that break across pages with their header repeated, wrapped monospace excerpts, and page footers.
 * Only the built-in PDF fonts are used (no font files, byte-identical output), so text is reduced to the
 * characters their WinAnsi encoding has.
 */

export type Doc = PDFKit.PDFDocument;

export const PAGE = { size: 'A4' as const, margin: 54, footer: 30 };
export const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', mono: 'Courier' };
export const COLOR = { text: '#1f2328', muted: '#59636e', rule: '#d0d7de', headerFill: '#eef1f4', codeFill: '#f6f8fa', accent: '#0b5394' };

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = { '→': '->', '←': '<-', '≥': '>=', '≤': '<=', '✓': 'v', '✗': 'x', '│': '|', '─': '-', '\t': '  ' };

/** Text the standard PDF fonts can show: Latin-1 plus WinAnsi extras; everything else becomes `?`. */
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else if (ch === '\n' || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface TocEntry {
  title: string;
  level: 1 | 2;
  /** 0-based page index. */
  page: number;
  destination: string;
}

export interface Layout {
  doc: Doc;
  toc: TocEntry[];
}

export function createDocument(info: { title: string; subject: string; keywords: string; creationDate: Date }): Doc {
  return new PDFDocument({
    size: PAGE.size,
    margins: { top: PAGE.margin, bottom: PAGE.margin + PAGE.footer, left: PAGE.margin, right: PAGE.margin },
    bufferPages: true,
    autoFirstPage: false,
    compress: true,
    info: {
      Title: info.title,
      Author: 'complianceagent',
      Subject: info.subject,
      Keywords: info.keywords,
      Creator: 'complianceagent',
      CreationDate: info.creationDate,
      ModDate: info.creationDate,
    },
    displayTitle: true,
    lang: 'en',
  });
}

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

export function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page when less than `height` points are left. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function currentPageIndex(doc: Doc): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count - 1;
}

/** A level-1 heading starts a page; both levels are recorded for the table of contents and the outline. */
export function heading(layout: Layout, title: string, level: 1 | 2, options: { newPage?: boolean } = {}): void {
  const { doc } = layout;
  if (level === 1 && options.newPage !== false) doc.addPage();
  else ensureSpace(doc, level === 1 ? 80 : 70);
  if (level === 2 && doc.y > doc.page.margins.top + 1) doc.moveDown(0.8);
  const destination = `s${layout.toc.length + 1}`;
  doc.addNamedDestination(destination);
  layout.toc.push({ title, level, page: currentPageIndex(doc), destination });
  doc
    .font(FONT.bold)
    .fontSize(level === 1 ? 18 : 13)
    .fillColor(level === 1 ? COLOR.accent : COLOR.text);
  doc.text(pdfText(title), doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(level === 1 ? 0.6 : 0.3);
  doc.font(FONT.regular).fontSize(10).fillColor(COLOR.text);
}

export function paragraph(doc: Doc, text: string, options: { font?: string; size?: number; color?: string; gap?: number } = {}): void {
  doc
    .font(options.font ?? FONT.regular)
    .fontSize(options.size ?? 10)
    .fillColor(options.color ?? COLOR.text);
  doc.text(pdfText(text), doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(options.gap ?? 0.4);
  doc.fillColor(COLOR.text);
}

export function bullets(doc: Doc, items: readonly string[], options: { size?: number; color?: string } = {}): void {
  const size = options.size ?? 10;
  doc
    .font(FONT.regular)
    .fontSize(size)
    .fillColor(options.color ?? COLOR.text);
  for (const item of items) {
    ensureSpace(doc, size * 1.6);
    const y = doc.y;
    doc.text('•', doc.page.margins.left + 4, y, { width: 10, lineBreak: false });
    doc.text(pdfText(item), doc.page.margins.left + 16, y, { width: contentWidth(doc) - 16 });
    doc.moveDown(0.15);
  }
  doc.fillColor(COLOR.text);
}

export interface Column {
  header: string;
  /** Share of the content width. */
  width: number;
  mono?: boolean;
}

const CELL_PAD = 4;
const MAX_CELL_CHARS = 700;

/** A table whose rows never split; when a row does not fit, the table continues on a new page under a repeated header. */
export function table(doc: Doc, columns: readonly Column[], rows: readonly (readonly string[])[], options: { size?: number } = {}): void {
  const size = options.size ?? 8.5;
  const left = doc.page.margins.left;
  const total = contentWidth(doc);
  const widths = columns.map((c) => c.width * total);
  const cellHeight = (text: string, i: number, font: string) => {
    doc.font(font).fontSize(size);
    return doc.heightOfString(text, { width: widths[i]! - 2 * CELL_PAD }) + 2 * CELL_PAD;
  };
  const drawRow = (cells: readonly string[], header: boolean) => {
    const texts = cells.map((c) => pdfText(truncate(c, MAX_CELL_CHARS)));
    const fonts = columns.map((c) => (header ? FONT.bold : c.mono ? FONT.mono : FONT.regular));
    const height = Math.max(...texts.map((t, i) => cellHeight(t, i, fonts[i]!)));
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      if (!header)
        drawRow(
          columns.map((c) => c.header),
          true,
        );
    }
    const y = doc.y;
    if (header) doc.rect(left, y, total, height).fill(COLOR.headerFill);
    let x = left;
    texts.forEach((t, i) => {
      doc.font(fonts[i]!).fontSize(size).fillColor(COLOR.text);
      doc.text(t, x + CELL_PAD, y + CELL_PAD, { width: widths[i]! - 2 * CELL_PAD });
      x += widths[i]!;
    });
    doc
      .moveTo(left, y + height)
      .lineTo(left + total, y + height)
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .stroke();
    doc.x = left;
    doc.y = y + height;
  };
  ensureSpace(doc, 40);
  drawRow(
    columns.map((c) => c.header),
    true,
  );
  for (const row of rows) drawRow(row, false);
  doc.moveDown(0.6);
  doc.font(FONT.regular).fontSize(10);
}

/** A monospace excerpt in a shaded box (already-redacted text only). */
export function codeBlock(doc: Doc, code: string): void {
  const text = pdfText(truncate(code.replace(/\s+$/, ''), 600));
  if (text.trim() === '') return;
  const left = doc.page.margins.left + 12;
  const width = contentWidth(doc) - 12;
  doc.font(FONT.mono).fontSize(8);
  const height = doc.heightOfString(text, { width: width - 12 }) + 10;
  ensureSpace(doc, height + 4);
  const y = doc.y;
  doc.rect(left, y, width, height).fill(COLOR.codeFill);
  doc.fillColor(COLOR.text).text(text, left + 6, y + 5, { width: width - 12 });
  doc.x = doc.page.margins.left;
  doc.y = y + height + 4;
  doc.font(FONT.regular).fontSize(10);
}

/** Horizontal bars, one per item, labelled with the value. */
export function barChart(doc: Doc, items: ReadonlyArray<{ label: string; value: number; color: string }>): void {
  const left = doc.page.margins.left;
  const labelWidth = 130;
  const barMax = contentWidth(doc) - labelWidth - 40;
  const max = Math.max(1, ...items.map((i) => i.value));
  ensureSpace(doc, items.length * 18 + 10);
  for (const item of items) {
    const y = doc.y;
    doc
      .font(FONT.regular)
      .fontSize(9)
      .fillColor(COLOR.text)
      .text(pdfText(item.label), left, y + 2, { width: labelWidth - 8, lineBreak: false });
    const w = item.value === 0 ? 1 : Math.max(2, (item.value / max) * barMax);
    doc.rect(left + labelWidth, y, w, 12).fill(item.color);
    doc.fillColor(COLOR.text).text(String(item.value), left + labelWidth + w + 6, y + 2, { lineBreak: false });
    doc.x = left;
    doc.y = y + 18;
  }
  doc.moveDown(0.5);
}

/** Fills the reserved table-of-contents page: entries linked to their destinations, dotted leaders, page numbers. */
export function drawToc(doc: Doc, tocPage: number, entries: readonly TocEntry[]): void {
  doc.switchToPage(tocPage);
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  doc.x = left;
  doc.y = doc.page.margins.top;
  doc.font(FONT.bold).fontSize(18).fillColor(COLOR.accent).text('Contents', left, doc.y);
  doc.moveDown(0.8);
  for (const e of entries) {
    const indent = e.level === 1 ? 0 : 16;
    const size = e.level === 1 ? 11 : 9.5;
    const y = doc.y;
    const pageLabel = String(e.page + 1);
    doc
      .font(e.level === 1 ? FONT.bold : FONT.regular)
      .fontSize(size)
      .fillColor(COLOR.text);
    const title = pdfText(e.title);
    const titleWidth = Math.min(doc.widthOfString(title), width - indent - 60);
    doc.text(title, left + indent, y, { width: width - indent - 60, lineBreak: false, ellipsis: true });
    const numberWidth = doc.widthOfString(pageLabel);
    const dotsStart = left + indent + titleWidth + 4;
    const dotsEnd = left + width - numberWidth - 4;
    if (dotsEnd > dotsStart) {
      doc.fillColor(COLOR.muted).text('.'.repeat(Math.max(0, Math.floor((dotsEnd - dotsStart) / doc.widthOfString('.')))), dotsStart, y, { lineBreak: false });
    }
    doc.fillColor(COLOR.text).text(pageLabel, left + width - numberWidth, y, { lineBreak: false });
    doc.goTo(left + indent, y, width - indent, size * 1.2, e.destination);
    doc.x = left;
    doc.y = y + size * 1.55;
  }
}

/** Footer on every page but the cover: what the report is about and "Page n of N". */
export function drawFooters(doc: Doc, footer: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    if (i === 0) continue;
    doc.switchToPage(i);
    const y = doc.page.height - doc.page.margins.bottom + PAGE.footer / 2;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    // Writing below the bottom margin would make pdfkit start a new page; lift the margin while drawing.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .moveTo(left, y - 6)
      .lineTo(left + width, y - 6)
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .stroke();
    doc.font(FONT.regular).fontSize(8).fillColor(COLOR.muted);
    doc.text(pdfText(footer), left, y, { width: width - 80, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i + 1} of ${range.count}`, left + width - 80, y, { width: 80, align: 'right', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}

/** Collects the document's bytes. */
export function finish(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
