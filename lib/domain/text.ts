// What any text must be to be stored alike on both stores: PostgreSQL refuses a NUL
// character in text (SQLite keeps it), and a lone UTF-16 surrogate is not Unicode at all
// (each store mangles it its own way). Refused at the edge, with the same 4xx on both.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or null. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate, which is not valid Unicode';
  return null;
}

/** Whether a YYYY, YYYY-MM or YYYY-MM-DD date names a real month and day (not 2020-13-45). */
export function isRealDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  if (m === undefined) return true;
  if (!(m >= 1 && m <= 12)) return false;
  if (d === undefined) return true;
  return d >= 1 && d <= new Date(Date.UTC(y!, m, 0)).getUTCDate();
}
