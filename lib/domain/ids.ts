// Database ids in URLs and forms. SQLite and PostgreSQL ids here are positive integers
// that JavaScript holds exactly; anything else (0, -1, 1.5, 1e3, 9223372036854775807,
// " 7") names no row, and must be answered as "not found" before it reaches a query,
// where an out-of-range number is an error rather than an empty result.
import { z } from 'zod';

/** The id in `text`, or null when it is not a positive safe integer written plainly. */
export function parseId(text: string | null | undefined): number | null {
  if (typeof text !== 'string' || !/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

/** The same rule for forms and JSON bodies. */
export const idSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const id = parseId(typeof v === 'number' ? String(v) : v.trim());
  if (id === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive whole number (an id)' });
    return z.NEVER;
  }
  return id;
});
