// The import plan: pure code that decides what an import means (the indicator and
// its unit, which rows belong to which entity, what is new, changed or unchanged) by
// asking a store what exists. It writes nothing and runs no SQL; the caller hands
// its `writes` to the store when the report is clean.
//
// Observations are append-only revisions: a changed value supersedes the current
// revision (which stays, marked with the time) and adds revision n + 1. A value equal
// to the current revision changes nothing, so re-importing a file is a no-op.
import { parsePeriod } from '../formats';
import { countryName } from '../formats/country-aliases';
import { isCountryCode } from '../formats/keep';
import { ValueTable, type TableEntity } from '../formats/value-table';
import type { ImportMeta, NewIndicatorInput } from '../schemas';
import { conversionTo, findUnit, normalizeUnit, unstorableCheck } from '../domain/units';
import { boundsProblem } from '../domain/bounds';
import { earlierVintage } from './vintages';
import type {
  CurrentObservation,
  ImportWrites,
  IndicatorRow,
  SeriesWrites,
  StoreReader,
} from '../store/types';
import {
  emptyReport,
  valueTable,
  type EntityPlan,
  type ImportReport,
  type ImportValues,
} from './report';

const MAX_LISTED_CHANGES = 500;
const MAX_ERRORS = 200;
const NO_VALUES = new Int32Array(0);

export type Plan = {
  report: ImportReport;
  indicator: IndicatorRow | NewIndicatorInput | null;
  sourceId: number | null;
  newEntities: { code: string; name: string }[];
  entityIds: Map<string, number>;
  series: Map<string, SeriesWrites>;
  unitToStore: string | null;
  /** The values the series' indexes refer to. */
  values: ValueTable;
  /**
   * Each series' number of values when they were counted, not listed (planFromGrouping: its
   * series' `adds` are empty). Such a plan is compared with what was written, never written.
   */
  counted: Map<string, number> | null;
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
    values: p.values,
    series: [...p.series.values()].filter(
      (s) => (p.counted?.get(s.code) ?? s.adds.length) > 0 || s.revises.length > 0,
    ),
  };
}

function sameNullable(a: number | null | undefined, b: number | null | undefined) {
  return (a ?? null) === (b ?? null);
}

/** The indicator an import adds to and the unit its values are stored in, or why there is none. */
export type IndicatorPlan =
  | { error: { column: string; reason: string } }
  | {
      indicator: IndicatorRow | NewIndicatorInput;
      /** The stored indicator, when the slug names one. */
      existing: IndicatorRow | null;
      /** A warning: the request defines an indicator whose slug exists under another title. */
      renamed: string | null;
      /** The declared unit's factor to the indicator's, or why it has none. */
      unit: { factor: number } | { problem: string };
      unitToStore: string | null;
    };

export async function planIndicator(db: StoreReader, meta: ImportMeta): Promise<IndicatorPlan> {
  const ref = meta.indicator;
  const slug = typeof ref === 'string' ? ref : ref.slug;
  const existing = await db.indicatorBySlug(slug);
  if (!existing && typeof ref === 'string') {
    return {
      error: {
        column: 'indicator',
        reason: `there is no indicator "${slug}"; give slug, title and unit to create it`,
      },
    };
  }
  const ind = existing ?? (ref as NewIndicatorInput);
  // A definition for a slug that exists adds to it; the unit check below still applies.
  const renamed =
    existing && typeof ref !== 'string' && ref.title !== existing.title && ref.title !== ref.slug
      ? `indicator "${slug}" exists as "${existing.title}"; adding to it`
      : null;
  const conversion = conversionTo(meta.unit, { long: ind.unitLong, short: ind.unitShort });
  if (!conversion.ok) {
    return {
      indicator: ind,
      existing,
      renamed,
      unit: { problem: conversion.reason },
      unitToStore: null,
    };
  }
  const same =
    normalizeUnit(meta.unit) === normalizeUnit(ind.unitLong) ||
    normalizeUnit(meta.unit) === normalizeUnit(ind.unitShort) ||
    conversion.factor === 1;
  return {
    indicator: ind,
    existing,
    renamed,
    unit: { factor: conversion.factor },
    unitToStore: same ? null : (findUnit(meta.unit)?.name ?? meta.unit),
  };
}

export type EntityVerdict =
  | { kind: 'filtered' }
  | { kind: 'aggregate' }
  | { kind: 'error'; column: string; reason: string }
  | { kind: 'ok'; code: string };

/**
 * What becomes of one distinct entity of a file: its values kept under an ISO code, skipped
 * (outside the chosen entities, or an aggregate when none were chosen), or refused.
 * `byName` maps lower-cased names of stored entities to their codes.
 */
export function entityVerdict(
  e: TableEntity,
  meta: ImportMeta,
  filter: Set<string> | null,
  byName: Map<string, string>,
): EntityVerdict {
  const code = e.code ?? meta.entity ?? (e.name ? byName.get(e.name.toLowerCase()) : undefined);
  // Rows outside the chosen entities, and aggregates (regions, income groups) when
  // no entities were chosen, are skipped and counted, whether or not they have a code.
  if (filter && (!code || !filter.has(code.toUpperCase()))) return { kind: 'filtered' };
  if (!filter && e.isAggregate) return { kind: 'aggregate' };
  // "Only the file's countries": regions, groups and names no library knows are skipped.
  if (!filter && meta.mapping?.countriesOnly && (!code || !isCountryCode(code)))
    return { kind: 'filtered' };
  if (!code) {
    return {
      kind: 'error',
      column: e.name ? 'entity' : 'code',
      reason: e.name
        ? `"${e.name}" has no ISO 3166 alpha-3 code and matches no known entity`
        : 'no entity: give the file an entity column, or choose the entity it is for',
    };
  }
  const upper = code.toUpperCase();
  if (!/^[A-Z]{3}$/.test(upper))
    return { kind: 'error', column: 'code', reason: `"${upper}" is not an ISO 3166 alpha-3 code` };
  return { kind: 'ok', code: upper };
}

/** The label of the series an import writes for one entity (and value column, if several). */
export function seriesLabel(meta: ImportMeta, series: string | undefined, name: string): string {
  return series
    ? `${meta.label ?? meta.source.producer}: ${series} (${name})`
    : (meta.label ?? `${meta.source.producer} (${name})`);
}

type Report = (row: number | null, column: string | null, reason: string) => void;

/** What the steps of a plan share: the plan being built and where its problems go. */
type PlanContext = { result: Plan; report: ImportReport; error: Report; warning: Report };

function planContext(meta: ImportMeta, input: ImportValues, dryRun: boolean): PlanContext {
  const report = emptyReport(meta, input, dryRun);
  const result: Plan = {
    report,
    indicator: null,
    sourceId: null,
    newEntities: [],
    entityIds: new Map(),
    series: new Map(),
    unitToStore: null,
    values: new ValueTable(16),
    counted: null,
  };
  return {
    result,
    report,
    error: (row, column, reason) => {
      if (report.errors.length < MAX_ERRORS)
        report.errors.push({ row, column, reason, severity: 'error' });
    },
    warning: (row, column, reason) =>
      report.warnings.push({ row, column, reason, severity: 'warning' }),
  };
}

export async function planImport(
  db: StoreReader,
  meta: ImportMeta,
  input: ImportValues,
  dryRun: boolean,
): Promise<Plan> {
  const values = valueTable(input.values);
  // Its indexes would name other values than the file's: only planFromGrouping plans it.
  if (values.released > 0)
    throw new Error('A released value table cannot be planned value by value');
  const ctx = planContext(meta, input, dryRun);
  const existing = await indicatorStep(db, meta, ctx);
  await sourceStep(db, meta, ctx);
  const groups = await groupByEntity(db, meta, input, values, ctx);
  const known = await entitiesStep(db, meta, groups, ctx);
  await compareStep(db, meta, input, values, groups, known, existing, ctx);
  return finished(values, ctx);
}

/**
 * The plan of a file whose values were grouped and checked as they were read (a `Grouping` made
 * by `streamingGrouping`) and may no longer be held: the same plan as planImport's when every
 * series it writes is new or empty, with each series' values counted, not listed (its `adds`
 * are empty; `counted` has their number). Null when a series holds values: those are compared
 * value by value, so the caller plans the ordinary way.
 */
export async function planFromGrouping(
  db: StoreReader,
  meta: ImportMeta,
  input: ImportValues,
  grouping: Grouping,
  dryRun: boolean,
): Promise<Plan | null> {
  const values = valueTable(input.values);
  const ctx = planContext(meta, input, dryRun);
  const existing = await indicatorStep(db, meta, ctx);
  await sourceStep(db, meta, ctx);
  reportGrouping(grouping, input, values.total, ctx);
  const groups: Groups = { ...grouping.facts(), members: null };
  const known = await entitiesStep(db, meta, groups, ctx);
  if (!(await compareStep(db, meta, input, values, groups, known, existing, ctx))) return null;
  ctx.result.counted = new Map(grouping.codes.map((code, g) => [code, grouping.sizes[g]!]));
  return finished(values, ctx);
}

async function sourceStep(db: StoreReader, meta: ImportMeta, { result, report }: PlanContext) {
  result.sourceId = await db.sourceId(meta.source.title, meta.source.producer);
  report.source.isNew = result.sourceId === null;
}

/** The report's totals, and whether it may be written. */
function finished(values: ValueTable, { result, report }: PlanContext): Plan {
  result.values = values;
  for (const e of report.entities) {
    report.counts.added += e.added;
    report.counts.changed += e.changed;
    report.counts.unchanged += e.unchanged;
  }
  report.ok = report.errors.length === 0;
  return result;
}

/** The indicator and the unit: the stored indicator, when there is one. */
async function indicatorStep(
  db: StoreReader,
  meta: ImportMeta,
  { result, report, error, warning }: PlanContext,
): Promise<IndicatorRow | null> {
  const head = await planIndicator(db, meta);
  if ('error' in head) {
    error(null, head.error.column, head.error.reason);
    return null;
  }
  result.indicator = head.indicator;
  result.unitToStore = head.unitToStore;
  if (head.renamed) warning(null, 'indicator', head.renamed);
  const ind = head.indicator;
  report.indicator = {
    slug: ind.slug,
    title: ind.title,
    unitLong: ind.unitLong,
    unitShort: ind.unitShort,
    decimals: ind.decimals,
    isNew: !head.existing,
  };
  if ('problem' in head.unit) error(null, 'unit', head.unit.problem);
  else report.unit = { declared: meta.unit, factor: head.unit.factor };
  return head.existing;
}

/** A file's own `unit` column: each distinct unit checked once against meta.unit. */
function unitChecker(
  values: ValueTable,
  meta: ImportMeta,
  ind: Plan['indicator'],
): (i: number) => string | null {
  const problems = new Map<number, string | null>();
  return (i) => {
    const k = values.unitIndex(i);
    if (k < 0) return null;
    let problem = problems.get(k);
    if (problem === undefined) {
      const unit = values.strings[k]!;
      problem =
        ind && !conversionTo(unit, { long: ind.unitLong, short: ind.unitShort }).ok
          ? `unit "${unit}" does not match the indicator's unit "${ind.unitLong}"`
          : normalizeUnit(unit) !== normalizeUnit(meta.unit)
            ? `unit "${unit}" differs from the declared unit "${meta.unit}"; import one unit at a time`
            : null;
      problems.set(k, problem);
    }
    return problem;
  };
}

/** The kept values by entity code, in file order within each. */
type Groups = {
  codes: string[];
  names: Map<string, string>;
  firstRow: Map<string, number>;
  /** Each group's number of values. */
  sizes: number[];
  /** Group g's value indexes, in file order; null when only counted (planFromGrouping). */
  members: ((g: number) => Int32Array) | null;
};

/**
 * Entities, the entity filter, aggregates: decided once per distinct entity of the file, then
 * applied to its values by index (a million values, a few hundred entities). Each value is
 * checked (unit, period of JSON bodies, size, bounds) and grouped under its entity's code.
 * The values may come in batches (`add`): a group keeps counts and first rows, not values.
 */
export class Grouping {
  readonly codes: string[] = [];
  readonly sizes: number[] = [];
  private readonly names = new Map<string, string>();
  private readonly firstRow = new Map<string, number>();
  private readonly index = new Map<string, number>();
  private readonly verdicts: EntityVerdict[] = [];
  readonly filter: Set<string> | null;
  aggregates = 0;
  filtered = 0;

  constructor(
    private readonly values: ValueTable,
    private readonly meta: ImportMeta,
    /** Lower-cased names of stored entities → their codes. */
    private readonly byName: Map<string, string>,
    private readonly check: (i: number, code: string) => boolean,
    private readonly error: Report,
  ) {
    this.filter = meta.entities ? new Set(meta.entities) : null;
  }

  /** What becomes of the table's entity `e`, decided on its first value. */
  verdictOf(e: number): EntityVerdict {
    return (this.verdicts[e] ??= entityVerdict(
      this.values.entityList[e]!,
      this.meta,
      this.filter,
      this.byName,
    ));
  }

  /** Values [from, to) of the table: each one's group, or -1 if skipped or refused, in groupOf[i - from]. */
  add(from: number, to: number, groupOf: Int32Array): void {
    const { values } = this;
    for (let i = from; i < to; i++) {
      groupOf[i - from] = -1;
      const verdict = this.verdictOf(values.entities[i]!);
      if (verdict.kind !== 'ok') {
        if (verdict.kind === 'filtered') this.filtered++;
        else if (verdict.kind === 'aggregate') this.aggregates++;
        else this.error(values.rows[i]!, verdict.column, verdict.reason);
        continue;
      }
      if (this.check(i, verdict.code)) groupOf[i - from] = this.groupOf(verdict.code, i);
    }
  }

  private groupOf(code: string, i: number): number {
    let g = this.index.get(code);
    if (g === undefined) {
      g = this.codes.length;
      this.index.set(code, g);
      this.codes.push(code);
      this.sizes.push(0);
      this.firstRow.set(code, this.values.rows[i]!);
      const name = this.values.entityOf(i).name;
      if (name) this.names.set(code, name);
    }
    this.sizes[g]!++;
    return g;
  }

  has(code: string): boolean {
    return this.index.has(code);
  }

  get kept(): number {
    return this.sizes.reduce((n, k) => n + k, 0);
  }

  facts(): Omit<Groups, 'members'> {
    return { codes: this.codes, names: this.names, firstRow: this.firstRow, sizes: this.sizes };
  }
}

/** Lower-cased names of stored entities → their codes: a file's names without codes. */
export async function storedNames(db: StoreReader): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for (const e of await db.entityNames()) byName.set(e.name.toLowerCase(), e.code);
  return byName;
}

/**
 * A grouping of a file's values as a command-line import reads them, before it knows the whole
 * file: the indicator is the one its head planned, and the values are a parsed file's (the
 * parser checked their periods). `error` hears the first problem of a value.
 */
export function streamingGrouping(
  values: ValueTable,
  meta: ImportMeta,
  byName: Map<string, string>,
  indicator: Plan['indicator'],
  error: Report,
): Grouping {
  const check = valueChecker(values, meta, true, { indicator, error, warning: error });
  return new Grouping(values, meta, byName, check, error);
}

/** The grouping's skipped values and the problems of the whole file. */
function reportGrouping(
  grouping: Grouping,
  input: ImportValues,
  total: number,
  { report, error, warning }: PlanContext,
): void {
  const { aggregates, filtered, filter } = grouping;
  const parsedSkips = input.parse?.skippedRows ?? 0;
  report.counts.skipped = aggregates + filtered + parsedSkips;
  if (aggregates)
    warning(
      null,
      null,
      `skipped ${aggregates} values of aggregate rows (regions, income groups); name them in "entities" to import them`,
    );
  // Values outside chosen entities are only counted: the user named what they want.
  if (filtered && !filter)
    warning(
      null,
      'entities',
      `skipped ${filtered} values of rows that are not countries (regions, groups, names no country library knows)`,
    );
  if (filter) {
    for (const code of filter)
      if (!grouping.has(code)) warning(null, 'entities', `the file has no values for ${code}`);
  }
  if (total === 0 && report.errors.length === 0) error(null, null, 'there are no values to import');
  else if (grouping.kept === 0 && report.errors.length === 0)
    error(null, 'entities', 'none of the values belongs to the selected entities');
}

/** The values of a table grouped (planImport): each group's indexes, in file order. */
async function groupByEntity(
  db: StoreReader,
  meta: ImportMeta,
  input: ImportValues,
  values: ValueTable,
  ctx: PlanContext,
): Promise<Groups> {
  const check = valueChecker(values, meta, Boolean(input.parse), {
    indicator: ctx.result.indicator,
    error: ctx.error,
    warning: ctx.warning,
  });
  const grouping = new Grouping(values, meta, await storedNames(db), check, ctx.error);
  const groupOf = new Int32Array(values.length);
  grouping.add(0, values.length, groupOf);
  reportGrouping(grouping, input, values.length, ctx);
  const { sizes } = grouping;
  const starts = new Int32Array(sizes.length + 1);
  for (let g = 0; g < sizes.length; g++) starts[g + 1] = starts[g]! + sizes[g]!;
  const order = new Int32Array(starts[sizes.length]!);
  const fill = starts.slice(0, sizes.length);
  for (let i = 0; i < values.length; i++) {
    const g = groupOf[i]!;
    if (g >= 0) order[fill[g]!++] = i;
  }
  return { ...grouping.facts(), members: (g) => order.subarray(starts[g]!, starts[g + 1]!) };
}

/** The checks every kept value passes; false (with an error reported) when it does not. */
function valueChecker(
  values: ValueTable,
  meta: ImportMeta,
  /** A parsed file's values (the parser checked their periods), not a JSON body's. */
  parsed: boolean,
  { indicator, error, warning }: { indicator: Plan['indicator']; error: Report; warning: Report },
): (i: number, code: string) => boolean {
  const unitProblem = unitChecker(values, meta, indicator);
  const unstorable = unstorableCheck(meta.unit);
  const periodKeys = new Map<string, number>();
  return (i, code) => {
    const row = values.rows[i]!;
    const badUnit = unitProblem(i);
    if (badUnit) {
      error(row, 'unit', badUnit);
      return false;
    }
    // The parser checks periods and duplicates in files; JSON bodies arrive here unchecked.
    if (!parsed) {
      const p = parsePeriod(values.periodOf(i), 1000, 2200);
      if ('error' in p) {
        error(row, 'period', p.error);
        return false;
      }
      values.setPeriod(i, p.period, p.precision);
      const key = `${code}\u0000${p.period}`;
      const before = periodKeys.get(key);
      if (before !== undefined) {
        error(row, 'period', `${code} ${p.period} appears twice (first in row ${before})`);
        return false;
      }
      periodKeys.set(key, row);
    }
    // One rule for every path in (files, JSON, the form): numbers that every unit of
    // their dimension can show, and a low–high range that is a range.
    const value = values.values[i]!;
    const low = values.low(i);
    const high = values.high(i);
    const tooBig =
      unstorable(value) !== null
        ? ([value, parsed ? values.columnOf(i) : 'value'] as const)
        : low !== undefined && unstorable(low) !== null
          ? ([low, 'low'] as const)
          : high !== undefined && unstorable(high) !== null
            ? ([high, 'high'] as const)
            : null;
    if (tooBig) {
      error(row, tooBig[1], unstorable(tooBig[0])!);
      return false;
    }
    if (low !== undefined || high !== undefined) {
      const bounds = boundsProblem(value, low, high);
      if (bounds?.severity === 'error') {
        error(row, bounds.column, bounds.reason);
        return false;
      }
      // The tidy parser already warned about a value outside its range.
      if (bounds && !parsed) warning(row, bounds.column, bounds.reason);
    }
    return true;
  };
}

/**
 * The entities the kept values belong to: stored ones by id, new ones named by the file or,
 * for a code alone, by the country library (DEU → Germany).
 */
async function entitiesStep(
  db: StoreReader,
  meta: ImportMeta,
  groups: Groups,
  { result, report, error }: PlanContext,
): Promise<Map<string, { id: number; name: string }>> {
  const known = await db.entitiesByCode(groups.codes);
  for (const code of groups.codes) {
    const k = known.get(code);
    if (k) {
      result.entityIds.set(code, k.id);
      continue;
    }
    const name = groups.names.get(code) ?? countryName(code) ?? code;
    groups.names.set(code, name);
    const row = groups.firstRow.get(code) ?? 0;
    report.unknownEntities.push({ code, name, row });
    if (meta.createEntities) result.newEntities.push({ code, name });
    else error(row || null, 'code', `unknown entity code "${code}" (${name}): confirm creating it`);
  }
  return known;
}

/**
 * Series and the comparison with what is stored: new, changed (a revision) or unchanged. False
 * when a series holds values and the groups were only counted: there is nothing to compare.
 */
async function compareStep(
  db: StoreReader,
  meta: ImportMeta,
  input: ImportValues,
  values: ValueTable,
  groups: Groups,
  known: Map<string, { id: number; name: string }>,
  existing: IndicatorRow | null,
  { result, report, warning }: PlanContext,
): Promise<boolean> {
  const entityPlans = new Map<string, EntityPlan>();
  for (const [g, code] of groups.codes.entries()) {
    const name = known.get(code)?.name ?? groups.names.get(code) ?? code;
    const label = seriesLabel(meta, input.series, name);
    const entityId = result.entityIds.get(code);
    const mine = groups.members ? groups.members(g) : NO_VALUES;
    const size = groups.sizes[g]!;
    const ops: SeriesWrites = { code, id: null, label, adds: mine, revises: [] };
    // One series' current observations at a time, so a re-import of a large file
    // never holds every stored value in memory at once.
    let stored: Map<string, CurrentObservation> | null = null;
    const target =
      existing && entityId !== undefined
        ? await targetSeries(db, meta, { indicatorId: existing.id, entityId, label }, result)
        : null;
    if (target?.id) {
      ops.id = target.id;
      ops.label = target.label;
      if (target.archived)
        warning(null, null, `series "${ops.label}" is archived: restore it to see these values`);
      stored = new Map();
      for (const o of await db.currentObservations(target.id)) stored.set(o.period, o);
    }
    if (target?.vintage) warning(null, null, vintageWords(target.vintage, code));
    const ep: EntityPlan = {
      code,
      name,
      isNew: !known.has(code),
      seriesId: ops.id,
      seriesLabel: ops.label,
      ...(target?.vintage ? { vintage: target.vintage } : {}),
      values: size,
      added: 0,
      changed: 0,
      unchanged: 0,
    };
    // A new series (or an empty one): every value is new.
    if (!stored || stored.size === 0) ep.added = size;
    else if (!groups.members) return false;
    else compareValues(values, mine, stored, ops, ep, report);
    result.series.set(code, ops);
    entityPlans.set(code, ep);
  }
  report.entities = [...entityPlans.values()];
  return true;
}

type Target = {
  id: number | null;
  label: string;
  archived: boolean;
  vintage: NonNullable<EntityPlan['vintage']> | null;
};

/**
 * The series an entity's values go to: this source's own, or else (by default) the series an
 * earlier vintage of the source made (lib/import/vintages.ts); null ids make a new series.
 */
async function targetSeries(
  db: StoreReader,
  meta: ImportMeta,
  key: { indicatorId: number; entityId: number; label: string },
  result: Plan,
): Promise<Target> {
  const own =
    result.sourceId === null
      ? null
      : await db.findSeries({ ...key, kind: meta.kind, sourceId: result.sourceId });
  if (own)
    return { id: own.id, label: key.label, archived: own.archivedAt !== null, vintage: null };
  const none: Target = { id: null, label: key.label, archived: false, vintage: null };
  const earlier = await earlierVintage(db, {
    ...key,
    kind: meta.kind,
    title: meta.source.title,
    publisher: meta.source.producer,
  });
  if (!earlier) return none;
  const added = meta.vintage !== 'separate';
  const vintage = {
    seriesId: earlier.id,
    label: earlier.label,
    sourceTitle: earlier.sourceTitle,
    added,
  };
  if (!added) return { ...none, vintage };
  return { id: earlier.id, label: earlier.label, archived: earlier.archived, vintage };
}

/** What the report says of an earlier vintage's series, and how to choose otherwise. */
function vintageWords(v: NonNullable<EntityPlan['vintage']>, code: string): string {
  return v.added
    ? `${code}: “${v.sourceTitle}” is an earlier vintage of this source, so the values are added to its series "${v.label}" (revisions where they changed); send "vintage": "separate" (or untick “Add to the existing series”) for a series of their own`
    : `${code}: “${v.sourceTitle}” is an earlier vintage of this source, with the series "${v.label}"; these values make a separate series, as asked`;
}

/** One series' values against its stored current revisions. */
function compareValues(
  values: ValueTable,
  mine: Int32Array,
  stored: Map<string, CurrentObservation>,
  ops: SeriesWrites,
  ep: EntityPlan,
  report: ImportReport,
): void {
  const adds: number[] = [];
  for (const i of mine) {
    const period = values.periodOf(i);
    const previous = stored.get(period);
    const value = values.values[i]!;
    const low = values.low(i);
    const high = values.high(i);
    const note = values.note(i);
    if (!previous) {
      adds.push(i);
      ep.added++;
    } else if (
      previous.value === value &&
      // A file without bounds or notes says nothing about them: only what it
      // carries can differ from what is stored.
      (low === undefined || sameNullable(previous.low, low)) &&
      (high === undefined || sameNullable(previous.high, high)) &&
      (note === undefined || (previous.note ?? null) === note)
    ) {
      ep.unchanged++;
    } else {
      ops.revises.push({ index: i, previous: { id: previous.id, revision: previous.revision } });
      ep.changed++;
      report.changesTotal++;
      if (report.changes.length < MAX_LISTED_CHANGES) {
        report.changes.push({
          entity: ep.code,
          period,
          row: values.rows[i]!,
          old: previous.value,
          new: value,
          revision: previous.revision + 1,
        });
      }
    }
  }
  ops.adds = Int32Array.from(adds);
}
