const MAX_SHOWN = 40;

/** A cell as it appears in a problem message: quoted, escaped, and cut short. */
export function showCell(raw: string): string {
  // Long cells would bloat every problem message of a broken file.
  return JSON.stringify(raw.length > MAX_SHOWN ? `${raw.slice(0, MAX_SHOWN)}…` : raw);
}
