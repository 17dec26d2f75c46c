// Turns what a user sends (a file, or observations as JSON) into the values the
// write path takes. Pure: no database, no request objects.
import { parseDataFile, type ParsedValue } from '../formats';
import type { ImportMeta, ObservationInput } from '../schemas';
import type { ImportValues } from './import-data';

const MB = 1024 * 1024;

/** The upload limit: SOURCED_MAX_UPLOAD_MB, 50 MB by default. */
export function maxUploadBytes(env: Record<string, string | undefined> = process.env): number {
  const mb = Number(env.SOURCED_MAX_UPLOAD_MB ?? 50);
  return (Number.isFinite(mb) && mb > 0 ? mb : 50) * MB;
}

/** The row limit of one file: SOURCED_MAX_ROWS, 2,000,000 by default. */
export function maxRows(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.SOURCED_MAX_ROWS ?? 2_000_000);
  return Number.isInteger(n) && n > 0 ? n : 2_000_000;
}

export function valuesFromFile(
  bytes: Uint8Array,
  meta: Pick<ImportMeta, 'format' | 'valueColumn'>,
): ImportValues {
  const parsed = parseDataFile(bytes, {
    format: meta.format,
    valueColumn: meta.valueColumn,
    maxRows: maxRows(),
  });
  return {
    values: parsed.values,
    parse: {
      format: parsed.format,
      detected: parsed.detected,
      rowsRead: parsed.rowsRead,
      problems: parsed.problems,
      missing: parsed.meta.missing,
    },
  };
}

/** JSON observations for one entity, numbered from 1 as "rows" for error messages. */
export function valuesFromObservations(
  entity: string,
  observations: ObservationInput[],
  entityName?: string,
): ImportValues {
  const values: ParsedValue[] = observations.map((o, i) => ({
    row: i + 1,
    column: 'observations',
    entityCode: entity,
    entityName: entityName ?? null,
    isAggregate: false,
    period: o.period,
    precision: 'year',
    value: o.value,
    low: o.low,
    high: o.high,
    note: o.note,
  }));
  return { values };
}
