// The import plan: pure code that decides what an import means (the indicator and
// its unit, which rows belong to which entity, what is new, changed or unchanged) by
// asking a store what exists. It writes nothing and runs no SQL; the caller hands
// its `writes` to the store when the report is clean.
//
// Observations are append-only revisions: a changed value supersedes the current
// revision (which stays, marked with the time) and adds revision n + 1. A value equal
// to the current revision changes nothing, so re-importing a file is a no-op.
import { parsePeriod, type ParsedValue } from '../formats';
import type { ImportMeta, NewIndicatorInput } from '../schemas';
import { conversionTo, findUnit, normalizeUnit, unstorableValue } from '../domain/units';
import { boundsProblem } from '../domain/bounds';
import type {
  CurrentObservation,
  ImportWrites,
  IndicatorRow,
  SeriesWrites,
  StoreReader,
} from '../store/types';
import { emptyReport, type EntityPlan, type ImportReport, type ImportValues } from './report';

const MAX_LISTED_CHANGES = 500;
const MAX_ERRORS = 200;

export type Plan = {
  report: ImportReport;
  indicator: IndicatorRow | NewIndicatorInput | null;
  sourceId: number | null;
  newEntities: { code: string; name: string }[];
  entityIds: Map<string, number>;
  series: Map<string, SeriesWrites>;
  unitToStore: string | null;
};

/** What an accepted plan hands the store. */
export function writesOf(meta: ImportMeta, p: Plan): ImportWrites {
  if (!p.report.ok || !p.indicator) throw new Error('Only an accepted plan can be written');
  return {
    meta,
    sourceId: p.sourceId,
    indicator: p.indicator,
    newEntities: p.newEntities,
    entityIds: p.entityIds,
    unitToStore: p.unitToStore,
    series: [...p.series.values()].filter((s) => s.adds.length > 0 || s.revises.length > 0),
  };
}

function sameNullable(a: number | null | undefined, b: number | null | undefined) {
  return (a ?? null) === (b ?? null);
}

export async function planImport(
  db: StoreReader,
  meta: ImportMeta,
  input: ImportValues,
  dryRun: boolean,
): Promise<Plan> {
  const report = emptyReport(meta, input, dryRun);
  const error = (row: number | null, column: string | null, reason: string) => {
    if (report.errors.length < MAX_ERRORS)
      report.errors.push({ row, column, reason, severity: 'error' });
  };
  const warning = (row: number | null, column: string | null, reason: string) =>
    report.warnings.push({ row, column, reason, severity: 'warning' });
  const result: Plan = {
    report,
    indicator: null,
    sourceId: null,
    newEntities: [],
    entityIds: new Map(),
    series: new Map(),
    unitToStore: null,
  };

  // The indicator: an existing one by slug, or a new one.
  const ref = meta.indicator;
  const slug = typeof ref === 'string' ? ref : ref.slug;
  const existing = await db.indicatorBySlug(slug);
  if (existing) {
    result.indicator = existing;
    // A definition for a slug that exists adds to it; the unit check below still applies.
    if (typeof ref !== 'string' && ref.title !== existing.title && ref.title !== ref.slug) {
      warning(null, 'indicator', `indicator "${slug}" exists as "${existing.title}"; adding to it`);
    }
  } else if (typeof ref === 'string') {
    error(
      null,
      'indicator',
      `there is no indicator "${slug}"; give slug, title and unit to create it`,
    );
  } else {
    result.indicator = ref;
  }
  const ind = result.indicator;
  if (ind) {
    report.indicator = {
      slug: ind.slug,
      title: ind.title,
      unitLong: ind.unitLong,
      unitShort: ind.unitShort,
      decimals: ind.decimals,
      isNew: !existing,
    };
    const conversion = conversionTo(meta.unit, { long: ind.unitLong, short: ind.unitShort });
    if (conversion.ok) {
      report.unit = { declared: meta.unit, factor: conversion.factor };
      const same =
        normalizeUnit(meta.unit) === normalizeUnit(ind.unitLong) ||
        normalizeUnit(meta.unit) === normalizeUnit(ind.unitShort) ||
        conversion.factor === 1;
      result.unitToStore = same ? null : (findUnit(meta.unit)?.name ?? meta.unit);
    } else {
      error(null, 'unit', conversion.reason);
    }
  }

  // Values per unit declared in a tidy file's own `unit` column must agree with meta.unit.
  result.sourceId = await db.sourceId(meta.source.title, meta.source.producer);
  report.source.isNew = result.sourceId === null;

  // Entities, the entity filter, aggregates.
  const filter = meta.entities ? new Set(meta.entities) : null;
  const seen = new Set<string>();
  const names = new Map<string, string>();
  const firstRow = new Map<string, number>();
  // Values grouped by entity: a million-value file keeps no per-value wrapper objects.
  const byCode = new Map<string, ParsedValue[]>();
  let keptCount = 0;
  const byName = new Map<string, string>();
  for (const e of await db.entityNames()) byName.set(e.name.toLowerCase(), e.code);
  let aggregates = 0;
  let filtered = 0;
  const periodKeys = new Map<string, number>();
  for (const v of input.values) {
    let code =
      v.entityCode ??
      meta.entity ??
      (v.entityName ? byName.get(v.entityName.toLowerCase()) : undefined);
    // Rows outside the chosen entities, and aggregates (regions, income groups) when
    // no entities were chosen, are skipped and counted, whether or not they have a code.
    if (filter && (!code || !filter.has(code.toUpperCase()))) {
      filtered++;
      continue;
    }
    if (!filter && v.isAggregate) {
      aggregates++;
      continue;
    }
    if (!code) {
      error(
        v.row,
        v.entityName ? 'entity' : 'code',
        v.entityName
          ? `"${v.entityName}" has no ISO 3166 alpha-3 code and matches no known entity`
          : 'no entity: give the file an entity column, or choose the entity it is for',
      );
      continue;
    }
    code = code.toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) {
      error(v.row, 'code', `"${code}" is not an ISO 3166 alpha-3 code`);
      continue;
    }
    if (v.unit && ind && !conversionTo(v.unit, { long: ind.unitLong, short: ind.unitShort }).ok) {
      error(
        v.row,
        'unit',
        `unit "${v.unit}" does not match the indicator's unit "${ind.unitLong}"`,
      );
      continue;
    }
    if (v.unit && normalizeUnit(v.unit) !== normalizeUnit(meta.unit)) {
      error(
        v.row,
        'unit',
        `unit "${v.unit}" differs from the declared unit "${meta.unit}"; import one unit at a time`,
      );
      continue;
    }
    // The parser checks periods and duplicates in files; JSON bodies arrive here unchecked.
    if (!input.parse) {
      const p = parsePeriod(v.period, 1000, 2200);
      if ('error' in p) {
        error(v.row, 'period', p.error);
        continue;
      }
      v.period = p.period;
      v.precision = p.precision;
      const key = `${code}\u0000${v.period}`;
      const before = periodKeys.get(key);
      if (before !== undefined) {
        error(v.row, 'period', `${code} ${v.period} appears twice (first in row ${before})`);
        continue;
      }
      periodKeys.set(key, v.row);
    }
    // One rule for every path in (files, JSON, the form): numbers that every unit of
    // their dimension can show, and a low–high range that is a range.
    const unstorable = (
      [
        [v.value, input.parse ? v.column : 'value'],
        [v.low, 'low'],
        [v.high, 'high'],
      ] as const
    ).find(([n]) => n !== undefined && unstorableValue(n, meta.unit) !== null);
    if (unstorable) {
      error(v.row, unstorable[1], unstorableValue(unstorable[0]!, meta.unit)!);
      continue;
    }
    const bounds = boundsProblem(v.value, v.low, v.high);
    if (bounds?.severity === 'error') {
      error(v.row, bounds.column, bounds.reason);
      continue;
    }
    // The tidy parser already warned about a value outside its range.
    if (bounds && !input.parse) warning(v.row, bounds.column, bounds.reason);
    if (!seen.has(code)) {
      seen.add(code);
      firstRow.set(code, v.row);
      if (v.entityName) names.set(code, v.entityName);
    }
    let group = byCode.get(code);
    if (!group) byCode.set(code, (group = []));
    group.push(v);
    keptCount++;
  }
  report.counts.skipped = aggregates + filtered;
  if (aggregates)
    warning(
      null,
      null,
      `skipped ${aggregates} values of aggregate rows (regions, income groups); name them in "entities" to import them`,
    );
  if (filter) {
    for (const code of filter)
      if (!seen.has(code)) warning(null, 'entities', `the file has no values for ${code}`);
  }
  if (input.values.length === 0 && report.errors.length === 0)
    error(null, null, 'there are no values to import');
  else if (keptCount === 0 && report.errors.length === 0)
    error(null, 'entities', 'none of the values belongs to the selected entities');

  const codes = [...seen];
  const known = await db.entitiesByCode(codes);
  for (const code of codes) {
    const k = known.get(code);
    if (k) {
      result.entityIds.set(code, k.id);
      continue;
    }
    const name = names.get(code) ?? code;
    report.unknownEntities.push({ code, name, row: firstRow.get(code) ?? 0 });
    if (meta.createEntities) result.newEntities.push({ code, name });
    else
      error(
        firstRow.get(code) ?? null,
        'code',
        `unknown entity code "${code}" (${name}): confirm creating it`,
      );
  }

  // Series and the comparison with what is stored.
  const entityPlans = new Map<string, EntityPlan>();
  for (const code of codes) {
    const name = known.get(code)?.name ?? names.get(code) ?? code;
    const label = input.series
      ? `${meta.label ?? meta.source.producer}: ${input.series} (${name})`
      : (meta.label ?? `${meta.source.producer} (${name})`);
    const entityId = result.entityIds.get(code);
    const ops: SeriesWrites = { code, id: null, label, adds: [], revises: [] };
    // One series' current observations at a time, so a re-import of a large file
    // never holds every stored value in memory at once.
    let stored: Map<string, CurrentObservation> | null = null;
    if (existing && entityId !== undefined && result.sourceId !== null) {
      const row = await db.findSeries({
        indicatorId: existing.id,
        entityId,
        kind: meta.kind,
        sourceId: result.sourceId,
        label,
      });
      if (row) {
        ops.id = row.id;
        if (row.archivedAt)
          warning(null, null, `series "${label}" is archived: restore it to see these values`);
        stored = new Map();
        for (const o of await db.currentObservations(row.id)) stored.set(o.period, o);
      }
    }
    const ep: EntityPlan = {
      code,
      name,
      isNew: !known.has(code),
      seriesId: ops.id,
      seriesLabel: label,
      values: 0,
      added: 0,
      changed: 0,
      unchanged: 0,
    };
    for (const v of byCode.get(code) ?? []) {
      ep.values++;
      const previous = stored?.get(v.period);
      if (!previous) {
        ops.adds.push(v);
        ep.added++;
      } else if (
        previous.value === v.value &&
        // A file without bounds or notes says nothing about them: only what it
        // carries can differ from what is stored.
        (v.low === undefined || sameNullable(previous.low, v.low)) &&
        (v.high === undefined || sameNullable(previous.high, v.high)) &&
        (v.note === undefined || (previous.note ?? null) === v.note)
      ) {
        ep.unchanged++;
      } else {
        ops.revises.push({ value: v, previous: { id: previous.id, revision: previous.revision } });
        ep.changed++;
        report.changesTotal++;
        if (report.changes.length < MAX_LISTED_CHANGES) {
          report.changes.push({
            entity: code,
            period: v.period,
            row: v.row,
            old: previous.value,
            new: v.value,
            revision: previous.revision + 1,
          });
        }
      }
    }
    result.series.set(code, ops);
    entityPlans.set(code, ep);
  }
  report.entities = [...entityPlans.values()];
  for (const e of report.entities) {
    report.counts.added += e.added;
    report.counts.changed += e.changed;
    report.counts.unchanged += e.unchanged;
  }
  report.ok = report.errors.length === 0;
  return result;
}
