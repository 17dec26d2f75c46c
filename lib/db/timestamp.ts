/** SQLite's text form of a timestamp, as Prisma writes it, so both read alike. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}
