// The one write path for new data: the browser form, the JSON API and the
// command-line import all end here. `previewImport` reports what a write would do;
// `commitImport` computes the same plan inside an immediate transaction and applies
// it, so the preview a user saw and the write that follows obey the same rules.
//
// Observations are append-only revisions: a changed value supersedes the current
// revision (which stays, marked with the time) and adds revision n + 1. A value equal
// to the current revision changes nothing, so re-importing a file is a no-op.
import type { WriterDb } from '../db';
import {
  FORMAT_LABELS,
  parsePeriod,
  type FileFormat,
  type FileInfo,
  type ParsedValue,
  type ParseProblem,
} from '../formats';
import type { ImportMeta, NewIndicatorInput } from '../schemas';
import { conversionTo, findUnit, normalizeUnit, unstorableValue } from '../domain/units';
import { boundsProblem } from '../domain/bounds';
import { sqliteTimestamp, writeTransaction } from '../writer';

export type Problem = ParseProblem;

export type ImportValues = {
  values: ParsedValue[];
  /** From the file parser, when the values came from a file. */
  parse?: {
    format: FileFormat;
    detected: FileFormat | null;
    rowsRead: number;
    problems: ParseProblem[];
    missing: number;
    /** How the file was read (encoding, delimiter, numbers, sheet, column mapping). */
    file?: FileInfo;
  };
  /** One of several series read from one file (a value column or measure): labels name it. */
  series?: string;
};

export type EntityPlan = {
  code: string;
  name: string;
  isNew: boolean;
  seriesId: number | null;
  seriesLabel: string;
  values: number;
  added: number;
  changed: number;
  unchanged: number;
};

export type ValueChange = {
  entity: string;
  period: string;
  row: number;
  old: number;
  new: number;
  revision: number;
};

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  committed: boolean;
  message: string;
  format: FileFormat | null;
  formatLabel: string | null;
  detected: FileFormat | null;
  rowsRead: number;
  valuesRead: number;
  indicator: {
    slug: string;
    title: string;
    unitLong: string;
    unitShort: string;
    decimals: number;
    isNew: boolean;
  } | null;
  unit: { declared: string; factor: number } | null;
  source: { title: string; producer: string; isNew: boolean };
  entities: EntityPlan[];
  unknownEntities: { code: string; name: string; row: number }[];
  counts: { added: number; changed: number; unchanged: number; skipped: number };
  changes: ValueChange[];
  changesTotal: number;
  errors: Problem[];
  warnings: Problem[];
  /** How the file was read, for file imports: encoding, delimiter, sheet, column mapping. */
  file: FileInfo | null;
};

const MAX_LISTED_CHANGES = 500;
const MAX_ERRORS = 200;

type IndicatorRow = {
  id: number;
  slug: string;
  title: string;
  unitLong: string;
  unitShort: string;
  decimals: number;
};
type CurrentObs = {
  id: number;
  value: number;
  low: number | null;
  high: number | null;
  note: string | null;
  revision: number;
};

/** Per series: values to add as revision 1, and values that supersede a current revision. */
type SeriesOps = {
  id: number | null;
  label: string;
  adds: ParsedValue[];
  revises: { value: ParsedValue; previous: CurrentObs }[];
};

type Plan = {
  report: ImportReport;
  indicator: IndicatorRow | NewIndicatorInput | null;
  sourceId: number | null;
  newEntities: { code: string; name: string }[];
  entityIds: Map<string, number>;
  series: Map<string, SeriesOps>;
  unitToStore: string | null;
};

function emptyReport(meta: ImportMeta, input: ImportValues, dryRun: boolean): ImportReport {
  const p = input.parse;
  return {
    ok: false,
    dryRun,
    committed: false,
    message: '',
    format: p?.format ?? null,
    formatLabel: p ? FORMAT_LABELS[p.format] : null,
    detected: p?.detected ?? null,
    rowsRead: p?.rowsRead ?? input.values.length,
    valuesRead: input.values.length,
    indicator: null,
    unit: null,
    source: { title: meta.source.title, producer: meta.source.producer, isNew: true },
    entities: [],
    unknownEntities: [],
    counts: { added: 0, changed: 0, unchanged: 0, skipped: 0 },
    changes: [],
    changesTotal: 0,
    errors: p ? p.problems.filter((x) => x.severity === 'error') : [],
    warnings: p ? p.problems.filter((x) => x.severity === 'warning') : [],
    file: p?.file ?? null,
  };
}

function sameNullable(a: number | null | undefined, b: number | null | undefined) {
  return (a ?? null) === (b ?? null);
}

function plan(db: WriterDb, meta: ImportMeta, input: ImportValues, dryRun: boolean): Plan {
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
  const existing = db
    .prepare(
      'SELECT id, slug, title, "unitLong", "unitShort", decimals FROM "Indicator" WHERE slug = ?',
    )
    .get(slug) as IndicatorRow | undefined;
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
  const source = db
    .prepare('SELECT id FROM "Source" WHERE title = ? AND publisher = ?')
    .get(meta.source.title, meta.source.producer) as { id: number } | undefined;
  result.sourceId = source?.id ?? null;
  report.source.isNew = !source;

  // Entities, the entity filter, aggregates.
  const filter = meta.entities ? new Set(meta.entities) : null;
  const seen = new Set<string>();
  const names = new Map<string, string>();
  const firstRow = new Map<string, number>();
  // Values grouped by entity: a million-value file keeps no per-value wrapper objects.
  const byCode = new Map<string, ParsedValue[]>();
  let keptCount = 0;
  const byName = new Map<string, string>();
  for (const e of db.prepare('SELECT code, name FROM "Entity"').all() as {
    code: string;
    name: string;
  }[]) {
    byName.set(e.name.toLowerCase(), e.code);
  }
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

  const known = new Map<string, { id: number; name: string }>();
  const codes = [...seen];
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500);
    const rows = db
      .prepare(
        `SELECT id, code, name FROM "Entity" WHERE code IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(...chunk) as { id: number; code: string; name: string }[];
    for (const r of rows) known.set(r.code, { id: r.id, name: r.name });
  }
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
  const findSeries = db.prepare(
    'SELECT id, "archivedAt" FROM "Series" WHERE "indicatorId" = ? AND "entityId" = ? AND kind = ? AND "sourceId" = ? AND label = ?',
  );
  const currentOf = db.prepare(
    'SELECT id, period, value, low, high, note, revision FROM "Observation" WHERE "seriesId" = ? AND "supersededAt" IS NULL',
  );
  const entityPlans = new Map<string, EntityPlan>();
  for (const code of codes) {
    const name = known.get(code)?.name ?? names.get(code) ?? code;
    const label = input.series
      ? `${meta.label ?? meta.source.producer}: ${input.series} (${name})`
      : (meta.label ?? `${meta.source.producer} (${name})`);
    const entityId = result.entityIds.get(code);
    const ops: SeriesOps = { id: null, label, adds: [], revises: [] };
    // One series' current observations at a time, so a re-import of a large file
    // never holds every stored value in memory at once.
    let stored: Map<string, CurrentObs> | null = null;
    if (existing && entityId !== undefined && result.sourceId !== null) {
      const row = findSeries.get(existing.id, entityId, meta.kind, result.sourceId, label) as
        { id: number; archivedAt: string | null } | undefined;
      if (row) {
        ops.id = row.id;
        if (row.archivedAt)
          warning(null, null, `series "${label}" is archived: restore it to see these values`);
        stored = new Map();
        for (const o of currentOf.all(row.id) as (CurrentObs & { period: string })[])
          stored.set(o.period, o);
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
        ops.revises.push({ value: v, previous });
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

export function summarize(r: ImportReport): string {
  if (!r.ok) {
    const n = r.errors.length;
    return `Nothing was saved: ${n} problem${n === 1 ? '' : 's'} to fix first.`;
  }
  const { added, changed, unchanged } = r.counts;
  const series = r.entities.length;
  if (added === 0 && changed === 0) {
    return `Nothing to change: all ${unchanged.toLocaleString('en-US')} values are already stored.`;
  }
  const parts = [`${added.toLocaleString('en-US')} new value${added === 1 ? '' : 's'}`];
  if (changed) parts.push(`${changed.toLocaleString('en-US')} revised (old revisions kept)`);
  if (unchanged) parts.push(`${unchanged.toLocaleString('en-US')} unchanged`);
  const where = `in ${series} series`;
  return r.committed
    ? `Saved ${parts.join(', ')} ${where}.`
    : `Ready to save ${parts.join(', ')} ${where}.`;
}

/** What an import would do, without writing. */
export function previewImport(db: WriterDb, meta: ImportMeta, input: ImportValues): ImportReport {
  const { report } = db.transaction(() => plan(db, meta, input, true)).deferred();
  report.message = summarize(report);
  return report;
}

/** Plans and applies an import in one immediate transaction; nothing is written unless all of it is. */
export function commitImport(
  db: WriterDb,
  meta: ImportMeta,
  input: ImportValues,
  now = new Date(),
): ImportReport {
  const report = writeTransaction(db, () => {
    const p = plan(db, meta, input, false);
    if (p.report.ok) apply(db, meta, p, now);
    return p.report;
  });
  report.committed = report.ok;
  report.message = summarize(report);
  return report;
}

/**
 * Several imports in one immediate transaction: all are applied, or, if any has a
 * problem, none is. Each is planned after the previous one is applied, so a later
 * group sees the sources, entities and series an earlier one created.
 */
export function commitImports(
  db: WriterDb,
  items: { meta: ImportMeta; input: ImportValues }[],
  now = new Date(),
): ImportReport[] {
  const reports = writeTransaction(db, () => {
    const done: ImportReport[] = [];
    for (const { meta, input } of items) {
      const p = plan(db, meta, input, false);
      done.push(p.report);
      if (!p.report.ok) {
        // Roll the whole batch back; the reports say which group failed and why.
        throw new BatchRejected(done);
      }
      apply(db, meta, p, now);
    }
    return done;
  });
  for (const r of reports) {
    r.committed = true;
    r.message = summarize(r);
  }
  return reports;
}

export class BatchRejected extends Error {
  constructor(readonly reports: ImportReport[]) {
    super('An import in the batch was rejected; nothing was saved.');
    for (const r of reports) r.message = summarize(r);
  }
}

function apply(db: WriterDb, meta: ImportMeta, p: Plan, now: Date) {
  const at = sqliteTimestamp(now);
  const src = meta.source;
  let sourceId = p.sourceId;
  if (sourceId === null) {
    sourceId = Number(
      db
        .prepare(
          `INSERT INTO "Source" (title, publisher, url, citation, "publishedOn", "publishedPrecision", license, "accessedOn", "usageNote", "createdAt")
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          src.title,
          src.producer,
          src.url ?? null,
          src.citation ?? null,
          src.publishedAt ?? null,
          src.publishedAt
            ? (['year', 'month', 'day'][src.publishedAt.split('-').length - 1] ?? null)
            : null,
          src.license ?? null,
          src.accessedAt ?? null,
          src.note ?? null,
          at,
        ).lastInsertRowid,
    );
  }
  const ind = p.indicator!;
  const indicatorId =
    'id' in ind
      ? ind.id
      : Number(
          db
            .prepare(
              `INSERT INTO "Indicator" (slug, title, description, "unitLong", "unitShort", decimals, "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              ind.slug,
              ind.title,
              ind.description ?? '',
              ind.unitLong,
              ind.unitShort,
              ind.decimals,
              at,
            ).lastInsertRowid,
        );
  const insertEntity = db.prepare('INSERT INTO "Entity" (code, name) VALUES (?, ?)');
  for (const e of p.newEntities)
    p.entityIds.set(e.code, Number(insertEntity.run(e.code, e.name).lastInsertRowid));

  const insertSeries = db.prepare(
    `INSERT INTO "Series" ("indicatorId", "entityId", kind, label, unit, "sourceId", "recordedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const supersede = db.prepare(
    'UPDATE "Observation" SET "supersededAt" = ? WHERE id = ? AND "supersededAt" IS NULL',
  );
  const insert = db.prepare(
    `INSERT INTO "Observation" ("seriesId", period, precision, value, low, high, note, revision, "recordedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Most imported values have no bounds and no note: a narrower statement binds less.
  const insertPlain = db.prepare(
    `INSERT INTO "Observation" ("seriesId", period, precision, value, revision, "recordedAt") VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const write = (seriesId: number, v: ParsedValue, revision: number) => {
    if (v.low === undefined && v.high === undefined && v.note === undefined) {
      insertPlain.run(seriesId, v.period, v.precision, v.value, revision, at);
    } else {
      insert.run(
        seriesId,
        v.period,
        v.precision,
        v.value,
        v.low ?? null,
        v.high ?? null,
        v.note ?? null,
        revision,
        at,
      );
    }
  };
  const plans = new Map(p.report.entities.map((e) => [e.code, e]));
  for (const [code, s] of p.series) {
    if (s.adds.length === 0 && s.revises.length === 0) continue;
    const seriesId =
      s.id ??
      Number(
        insertSeries.run(
          indicatorId,
          p.entityIds.get(code)!,
          meta.kind,
          s.label,
          p.unitToStore,
          sourceId,
          at,
        ).lastInsertRowid,
      );
    const planned = plans.get(code);
    if (planned) planned.seriesId = seriesId;
    for (const v of s.adds) write(seriesId, v, 1);
    for (const { value: v, previous } of s.revises) {
      // The plan was made in this transaction, so the row is still current; a failed
      // check means a bug, and the whole import rolls back.
      if (supersede.run(at, previous.id).changes !== 1) {
        throw new Error(`${code} ${v.period} changed during the import`);
      }
      write(seriesId, v, previous.revision + 1);
    }
  }
}
