import { z } from 'zod';

export const SERIES_KINDS = ['projection', 'reported', 'observed', 'derived'] as const;
export const seriesKindSchema = z.enum(SERIES_KINDS);
export type SeriesKind = z.infer<typeof seriesKindSchema>;

export const PRECISIONS = ['year', 'quarter', 'month', 'day'] as const;
export const precisionSchema = z.enum(PRECISIONS);
export type Precision = z.infer<typeof precisionSchema>;

/** The database stores kinds as text (portable to PostgreSQL); this narrows them on the way out. */
export function asSeriesKind(value: string): SeriesKind {
  return seriesKindSchema.parse(value);
}

export function asPrecision(value: string): Precision {
  return precisionSchema.parse(value);
}
