// The "as known then" date from a URL: `asOf=YYYY-MM-DD` means the end of that day, UTC.

export function parseAsOf(value: string | string[] | undefined | null): Date | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const d = new Date(`${v}T23:59:59.999Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v ? null : d;
}

export function formatAsOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
