// Imports Sourced's own full export (`data-full.csv`, `/api/export.csv`) through the
// same write path, so an export can be loaded into another database: every row names
// its indicator, kind, series and source, and each such group becomes one import.
import { parse } from 'csv-parse/sync';
import { parsePeriod, type ParsedValue, type ParseProblem } from '../formats';
import { FULL_CSV_HEADER } from '../export/full-export';
import { importMetaSchema, type ImportMeta } from '../schemas';
import type { ImportValues } from './import-data';

export function isFullExport(text: string): boolean {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return firstLine === FULL_CSV_HEADER.join(',');
}

const TRIGGER =
  /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]|(?:\r\n|\r|\n)[=+\-@\t\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Undoes the export's formula neutralising (lib/export/csv.ts): the apostrophe it puts
 * before a cell that starts with, or has a line that starts with, a trigger character.
 */
function unneutralize(cell: string): string {
  return cell.startsWith("'") && TRIGGER.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** The title inside a generated citation (`Publisher, “Title”, …`), or the whole line. */
function titleFromCitation(citation: string): string {
  return /“([^”]+)”/.exec(citation)?.[1] ?? citation;
}

export type FullExportGroups =
  | { ok: true; items: { meta: ImportMeta; input: ImportValues }[] }
  | { ok: false; problems: ParseProblem[] };

export function groupsFromFullExport(text: string): FullExportGroups {
  const records = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const [header, ...rows] = records;
  if (!header || header.join(',') !== FULL_CSV_HEADER.join(',')) {
    return {
      ok: false,
      problems: [
        {
          row: 1,
          column: null,
          reason: `the header must be ${FULL_CSV_HEADER.join(',')}`,
          severity: 'error',
        },
      ],
    };
  }
  const problems: ParseProblem[] = [];
  const groups = new Map<string, { meta: unknown; values: ParsedValue[] }>();
  rows.forEach((raw, i) => {
    const row = i + 2;
    if (raw.length !== FULL_CSV_HEADER.length) {
      problems.push({
        row,
        column: null,
        reason: `has ${raw.length} fields, not ${FULL_CSV_HEADER.length}`,
        severity: 'error',
      });
      return;
    }
    const [indicator, entity, code, period, value, unit, kind, series, source, citation] = raw.map(
      unneutralize,
    ) as string[];
    const p = parsePeriod(period!, 1000, 2200);
    const n = Number(value);
    if ('error' in p)
      return problems.push({ row, column: 'period', reason: p.error, severity: 'error' });
    if (value === '' || !Number.isFinite(n)) {
      return problems.push({
        row,
        column: 'value',
        reason: `"${value}" is not a number`,
        severity: 'error',
      });
    }
    const key = [indicator, kind, series, source, citation, unit].join('\u0000');
    let group = groups.get(key);
    if (!group) {
      group = {
        meta: {
          indicator: { slug: indicator, title: indicator, unitLong: unit, unitShort: unit },
          kind,
          unit,
          label: series,
          createEntities: true,
          source: { title: titleFromCitation(citation!), producer: source, citation },
        },
        values: [],
      };
      groups.set(key, group);
    }
    group.values.push({
      row,
      column: 'value',
      entityCode: code!,
      entityName: entity!,
      isAggregate: false,
      period: p.period,
      precision: p.precision,
      value: n,
    });
  });
  const items: { meta: ImportMeta; input: ImportValues }[] = [];
  for (const g of groups.values()) {
    const meta = importMetaSchema.safeParse(g.meta);
    if (!meta.success) {
      const first = g.values[0]?.row ?? null;
      for (const issue of meta.error.issues) {
        problems.push({
          row: first,
          column: issue.path.join('.'),
          reason: issue.message,
          severity: 'error',
        });
      }
      continue;
    }
    items.push({ meta: meta.data, input: { values: g.values } });
  }
  return problems.length ? { ok: false, problems } : { ok: true, items };
}
