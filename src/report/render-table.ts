/**
 * Terminal rendering: the verdict-first report (findings table, a block per server, connections,
 * trust store, capture summary) fitted to the terminal width. The only cli-table3 import.
 *
 * cli-table3 neither fits a table to the terminal nor measures wide characters the way terminals do
 * (its hard wrap drops CJK characters). So we plan column widths ourselves (display width from
 * text-width.ts), wrap every cell ourselves, and let cli-table3 only draw the frame: it receives
 * ASCII placeholders of exactly the planned widths, and the real, padded (possibly coloured) lines
 * are laid into the frame it draws. When even the narrowest layout does not fit, or the terminal
 * is narrower than 60 columns, tables become `key: value` blocks.
 */
import Table from 'cli-table3';
import type { Report } from './model.js';
import { makeStyle, type Style } from './summarize.js';
import { displayWidth, padDisplay, wrapIndented, wrapText } from './text-width.js';
import type { GridCell, GridColumn, GridLayout, Section } from './table-sections.js';
import { buildSections } from './table-sections.js';
import { pushAll } from '../util/arrays.js';

export interface TableRenderOptions {
  /** terminal columns; every output line fits in it (minimum 20) */
  width: number;
  color: boolean;
}

/** Below this width tables always become key: value blocks. */
export const MIN_TABLE_WIDTH = 60;
const PLACEHOLDER = 'x';

function cellOf(c: GridCell | string): GridCell {
  return typeof c === 'string' ? { text: c } : c;
}

/** Column widths (content only) that fit `width`, or null when the minimum widths do not fit. */
export function planColumns(columns: GridColumn[], rows: (GridCell | string)[][], width: number): number[] | null {
  const avail = width - (3 * columns.length + 1);
  const headerWord = columns.map((col) => Math.max(1, ...col.header.split(/\s+/).map(displayWidth)));
  const natural = columns.map((col, i) => {
    let w = headerWord[i];
    for (const r of rows) w = Math.max(w, displayWidth(cellOf(r[i] ?? '').text));
    return col.max !== undefined ? Math.max(headerWord[i], Math.min(w, col.max)) : w;
  });
  // headers never break inside a word
  const min = columns.map((col, i) => Math.min(natural[i], Math.max(col.min ?? 10, headerWord[i])));
  if (min.reduce((a, b) => a + b, 0) > avail) return null;
  // Three phases: (1) columns with the most room above their longest word (capped) give first, none
  // below it; (2) the widest of the columns that wrap anyway, down to their minimum; (3) any column.
  const soft = columns.map((_, i) => Math.min(natural[i], Math.max(min[i], Math.min(SOFT_WORD_CAP, longestWord(rows, i)))));
  const w = [...natural];
  let total = w.reduce((a, b) => a + b, 0);
  const shrink = (floor: number[], bySlack: boolean): void => {
    const key = (i: number): number => (bySlack ? w[i] - floor[i] : w[i]);
    while (total > avail) {
      let pick = -1;
      for (let i = 0; i < w.length; i++) if (w[i] > floor[i] && (pick < 0 || key(i) > key(pick))) pick = i;
      if (pick < 0) return;
      w[pick]--;
      total--;
    }
  };
  shrink(soft, true);
  shrink(w.map((x, i) => (x < natural[i] ? min[i] : x)), false);
  shrink(min, false);
  return total > avail ? null : w;
}

/** Words longer than this may be broken before other columns shrink below their longest word. */
const SOFT_WORD_CAP = 20;

function longestWord(rows: (GridCell | string)[][], i: number): number {
  let n = 0;
  for (const r of rows) for (const word of cellOf(r[i] ?? '').text.split(/[\s]+/)) n = Math.max(n, displayWidth(word));
  return n;
}

/** Borders drawn by cli-table3 for given column widths, and a function that lays out one line of cells. */
interface Frame {
  top: string;
  separator: string;
  bottom: string;
  line: (cells: string[]) => string;
}

/**
 * Ask cli-table3 to draw a one-line header and two one-line rows of ASCII placeholders, then cut
 * its output into the border lines and the cell separators. Rows are assembled from these pieces,
 * so cli-table3 is called once per table (its width measurement costs ~10 regex compilations per
 * cell line, far too slow for thousands of connections) and never sees untrusted text.
 */
function frameFor(widths: number[]): Frame {
  const cells = widths.map((w) => PLACEHOLDER.repeat(w));
  const table = new Table({
    head: cells,
    colWidths: widths.map((w) => w + 2),
    wordWrap: false,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
  });
  table.push(cells, cells);
  const drawn = table.toString().split('\n');
  const pieces = drawn[1].split(/x+/);
  return {
    top: drawn[0],
    separator: drawn[2],
    bottom: drawn[drawn.length - 1],
    line: (values) => pieces.map((p, i) => p + (values[i] ?? '')).join(''),
  };
}

/** Draw one table with planned widths, or null when it cannot fit. */
export function renderGrid(layout: GridLayout, width: number, style: Style): string[] | null {
  if (width < MIN_TABLE_WIDTH) return null;
  const widths = planColumns(layout.columns, layout.rows, width);
  if (widths === null) return null;
  const frame = frameFor(widths);
  const rowLines = (cells: GridCell[], header: boolean): string[] => {
    const wrapped = cells.map((c, i) => wrapText(c.text, widths[i]));
    const height = Math.max(1, ...wrapped.map((l) => l.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(frame.line(wrapped.map((lines, i) => {
        const tone = header ? 'bold' : cells[i].tone;
        return padDisplay(style.paint(lines[k] ?? '', tone), widths[i], layout.columns[i].align ?? 'left');
      })));
    }
    return out;
  };
  const out = [frame.top, ...rowLines(layout.columns.map((c) => ({ text: c.header })), true)];
  for (const row of layout.rows) out.push(frame.separator, ...rowLines(row.map(cellOf), false));
  out.push(frame.bottom);
  return out;
}

/** The fallback: one `key: value` block per row, blank line between rows. */
export function renderBlocks(layout: GridLayout, width: number, style: Style): string[] {
  const labels = layout.columns.map((c) => c.header.replace(/\s+/g, ' '));
  const labelW = Math.min(Math.max(...labels.map(displayWidth)), Math.floor(width / 3));
  const out: string[] = [];
  layout.rows.forEach((row, r) => {
    if (r > 0) out.push('');
    row.map(cellOf).forEach((cell, i) => {
      if (cell.text === '') return;
      const label = labels[i];
      const values = cell.text.split('\n');
      if (width - labelW - 2 >= 16 && displayWidth(label) <= labelW) {
        const first = `${padDisplay(label, labelW)}: `;
        const rest = ' '.repeat(labelW + 2);
        values.forEach((v, k) => {
          for (const line of wrapIndented(v, width, k === 0 ? first : rest, rest)) out.push(paintAfter(line, labelW + 2, cell, style));
        });
      } else {
        pushAll(out, wrapText(`${label}:`, width));
        for (const v of values) for (const line of wrapIndented(v, width, '  ', '  ')) out.push(paintAfter(line, 2, cell, style));
      }
    });
  });
  return out;
}

/** Colour the value part of a block line (after the label column). */
function paintAfter(line: string, at: number, cell: GridCell, style: Style): string {
  if (cell.tone === undefined || !style.enabled) return line;
  return line.slice(0, at) + style.paint(line.slice(at), cell.tone);
}

function renderSection(section: Section, width: number, style: Style): string[] {
  switch (section.kind) {
    case 'heading':
      return wrapText(section.text, width).map((l) => style.paint(l, 'bold'));
    case 'lines':
      return section.lines;
    case 'grid': {
      if (section.layouts.length === 0 || section.layouts[0].rows.length === 0) return section.empty ? wrapText(section.empty, width) : [];
      for (const layout of section.layouts) {
        const drawn = renderGrid(layout, width, style);
        if (drawn !== null) return drawn;
      }
      return renderBlocks(section.layouts[0], width, style);
    }
  }
}

/** The whole terminal report. Every line fits in `opts.width` display columns. */
export function renderTable(report: Report, opts: TableRenderOptions): string {
  const width = Math.max(20, Math.floor(opts.width));
  const style = makeStyle(opts.color);
  const out: string[] = [];
  for (const section of buildSections(report, width, style)) {
    if (section.kind === 'heading' && out.length > 0) out.push('');
    pushAll(out, renderSection(section, width, style));
  }
  return `${out.join('\n')}\n`;
}
