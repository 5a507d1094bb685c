/** What a bench prints: progress to stderr, tables and figures to stdout. */

/** A line of progress, to stderr (stdout holds only the report). */
export const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs a bench's main; an error is printed (with its stack) and sets exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  });
}

/** Rows as a text table: the first is the header (underlined), the first column left-aligned, the others right. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r, ri) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
        .join('  ')
        .concat(ri === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : ''),
    )
    .join('\n');
}

/** A whole number with thousands separators: 12,345. */
export const fmtInt = (x: number) => Math.round(x).toLocaleString('en-GB');

/** A ratio to two decimals, or 'n/a'. */
export const fmtRatio = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
