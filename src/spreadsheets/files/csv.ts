import type { CellValue } from '../domain/sheets.js';

/** RFC 4180 CSV: fields with commas, quotes or line breaks quoted, quotes doubled; CRLF line ends. */
export function toCsv(rows: readonly (readonly CellValue[])[]): string {
  return rows.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * A field, quoted where needed. Text that a spreadsheet program would take for a formula (=, +, -, @ first) is
 * written after an apostrophe, as OWASP advises against CSV injection; `parseCsv` reads it back without.
 */
function csvField(value: CellValue): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of fields; undefined when the text is not well-formed CSV (an unclosed quote). */
export function parseCsv(text: string): string[][] | undefined {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(/^'[=+\-@\t\r]/.test(field) ? field.slice(1) : field);
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      endField();
      rows.push(row);
      row = [];
      if (c === '\r' && text[i + 1] === '\n') i += 1;
    } else field += c;
    i += 1;
  }
  if (quoted) return undefined;
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
