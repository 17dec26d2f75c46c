// Turns what a user sends (a file, or observations as JSON) into the values the
// write path takes. Pure: no database, no request objects.
import {
  readDataFile,
  readDataStream,
  type ParsedValue,
  type TableParseResult,
  type ValueTable,
} from '../formats';
import { valueTable } from './report';
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

type FileMeta = Pick<ImportMeta, 'format' | 'valueColumn' | 'mapping'> &
  Partial<Pick<ImportMeta, 'entity' | 'period' | 'entities'>>;

/** What one file may hold: rows, and what a workbook may unpack to. */
export type FileLimits = { maxRows?: number; maxBytes?: number };

/**
 * A local file read by the command line: the user's own, on their own disk, so the server's
 * upload limits do not apply (a 350 MB bulk download imports). Memory holds the values only.
 */
export const LOCAL_FILE_LIMITS: FileLimits = {
  maxRows: Number.MAX_SAFE_INTEGER,
  maxBytes: 16 * 1024 * 1024 * 1024,
};

/** `limit` overrides the upload limits, for files shipped with the project (the seed) and local files. */
function parseOptions(meta: FileMeta, limit: FileLimits = {}) {
  return {
    format: meta.format,
    valueColumn: meta.valueColumn,
    mapping: meta.mapping,
    entity: meta.entity,
    period: meta.period,
    entities: meta.entities,
    maxRows: limit.maxRows ?? maxRows(),
    // A workbook may unpack to four times the upload limit: XML is verbose.
    maxBytes: limit.maxBytes ?? 4 * maxUploadBytes(),
  };
}

function asValues(parsed: TableParseResult): ImportValues {
  return {
    values: parsed.values,
    parse: {
      format: parsed.format,
      detected: parsed.detected,
      rowsRead: parsed.rowsRead,
      problems: parsed.problems,
      missing: parsed.meta.missing,
      skippedRows: (parsed.meta.filteredRows ?? 0) + (parsed.meta.skippedDuplicates ?? 0),
      file: parsed.file,
    },
  };
}

/** A file's values as one import (all of them, whatever series they belong to). */
export function valuesFromFile(
  bytes: Uint8Array,
  meta: FileMeta,
  limit: FileLimits = {},
): ImportValues {
  return asValues(readDataFile(bytes, parseOptions(meta, limit)));
}

/** One import per series a file is read as; usually one. */
export type FileImport = { items: { meta: ImportMeta; input: ImportValues }[] };

/**
 * A file as imports: one per value column or measure chosen (DataBank series, panel columns,
 * UNdata measures), each becoming its own series named after it. The file's problems and report
 * go with the first.
 */
export function importsFromFile(bytes: Uint8Array, meta: ImportMeta): FileImport {
  return importsOf(readDataFile(bytes, parseOptions(meta)), meta);
}

/** The series a parsed file is read as: by measure, then observed and projected. */
function importsOf(parsed: TableParseResult, meta: ImportMeta): FileImport {
  return splitProjections(splitBySeries(asValues(parsed), meta), meta, parsed.meta.projectionRows);
}

/**
 * The same, for a file read as it streams in (from disk, or an upload): only the values read
 * are held, never the file. `size`, when known, sizes the value table in one go; `onChunk`
 * sees the values read so far after each chunk (see readDataStream).
 */
export async function importsFromStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  meta: ImportMeta,
  size = 0,
  onChunk?: (values: ValueTable) => Promise<void> | void,
  limit: FileLimits = {},
): Promise<FileImport> {
  return importsOf(await readDataStream(chunks, parseOptions(meta, limit), size, onChunk), meta);
}

function splitBySeries(whole: ImportValues, meta: ImportMeta): FileImport {
  const file = whole.parse?.file;
  if (!file || file.chosen.length < 2) return { items: [{ meta, input: whole }] };
  const labels = new Map(file.series.map((s) => [s.key, s.label]));
  const table = valueTable(whole.values);
  const groups = new Map<string, number[]>(file.chosen.map((key) => [key, []]));
  for (let i = 0; i < table.length; i++) groups.get(table.series(i) ?? '')?.push(i);
  const items = [...groups].map(([key, indexes], i) => ({
    meta,
    input: {
      values: table.pick(indexes),
      series: labels.get(key) ?? key,
      parse: whole.parse && {
        ...whole.parse,
        // Reported once, with the first series.
        problems: i === 0 ? whole.parse.problems : [],
      },
    },
  }));
  return { items };
}

/**
 * A file that holds projections beside its observations (mapping.projections): each series is
 * split in two, the projected values becoming a series of kind `projection` with the same label.
 * An import that is already of projections is left whole.
 */
function splitProjections(
  file: FileImport,
  meta: ImportMeta,
  projectionRows: number[] | undefined,
): FileImport {
  const rule = meta.mapping?.projections;
  if (!rule || meta.kind === 'projection') return file;
  const rows = new Set(projectionRows ?? []);
  const after = rule.after === undefined ? null : Number(rule.after);
  const items: FileImport['items'] = [];
  for (const item of file.items) {
    const table = valueTable(item.input.values);
    const observed: number[] = [];
    const projected: number[] = [];
    for (let i = 0; i < table.length; i++) {
      const year = Number(table.periodOf(i).slice(0, 4));
      const isProjection = rows.has(table.rows[i]!) || (after !== null && year > after);
      (isProjection ? projected : observed).push(i);
    }
    if (projected.length === 0) {
      items.push(item);
      continue;
    }
    items.push({ meta: item.meta, input: { ...item.input, values: table.pick(observed) } });
    items.push({
      meta: { ...item.meta, kind: 'projection' },
      // The file's problems are reported once, with the observed half.
      input: {
        ...item.input,
        values: table.pick(projected),
        parse: item.input.parse && { ...item.input.parse, problems: [] },
      },
    });
  }
  return { items };
}

/** JSON observations for one entity, numbered from 1 as "rows" for error messages. */
export function valuesFromObservations(
  entity: string,
  observations: ObservationInput[],
  entityName?: string,
): ImportValues & { values: ParsedValue[] } {
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
