/** A table or schema name, checked and quoted for SQL (projections' names are plain lower-case words). */
export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unsafe SQL identifier "${name}"`);
  return `"${name}"`;
}
