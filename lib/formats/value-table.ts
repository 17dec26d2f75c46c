// Parsed values in columns: a million values cost typed arrays (about 25 bytes each) instead
// of a million objects (about 200 bytes each, and the garbage collector's time). Entities,
// periods and the few strings values share (column names, units, notes, series keys) are
// stored once and referred to by index. `at(i)` and iteration give ParsedValue objects for
// code that wants them; the import path reads the columns.
import type { ParsedValue, Precision } from './types';

const NONE = -1;
const HAS_LOW = 1;
const HAS_HIGH = 2;

export type TableEntity = { code: string | null; name: string | null; isAggregate: boolean };

function grown<T extends Int32Array | Float64Array | Uint8Array>(
  a: T,
  size: number,
  fill?: number,
): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  if (fill !== undefined) next.fill(fill, a.length);
  return next;
}

/** Some rows of a table as plain columns (see `ValueTable.columnsOf`). */
export type TableColumns = {
  length: number;
  rows: Int32Array;
  values: Float64Array;
  entities: Int32Array;
  periods: Int32Array;
  columns: Int32Array;
  flags: Uint8Array | null;
  lows: Float64Array | null;
  highs: Float64Array | null;
  units: Int32Array | null;
  notes: Int32Array | null;
  seriesKeys: Int32Array | null;
};

export class ValueTable implements Iterable<ParsedValue> {
  length = 0;
  /**
   * Values dropped from the front by `release` (a command-line import that has written and
   * checked them): value i here is the file's value `released + i`.
   */
  released = 0;
  /** Something needed values already released (a duplicate check's replay): they are gone. */
  partial = false;
  private capacity: number;
  rows: Int32Array;
  values: Float64Array;
  /** Index into `entityList`. */
  entities: Int32Array;
  /** Index into `periodList` and `precisionList`. */
  periods: Int32Array;
  /** Index into `strings`: the header name the value came from. */
  columns: Int32Array;
  /** Allocated when a value first has one. Flags: bit 1 low, bit 2 high. */
  private flags: Uint8Array | null = null;
  private lows: Float64Array | null = null;
  private highs: Float64Array | null = null;
  /** Indexes into `strings`, NONE where absent. */
  private units: Int32Array | null = null;
  private notes: Int32Array | null = null;
  private seriesKeys: Int32Array | null = null;

  readonly entityList: TableEntity[] = [];
  private readonly entityIndex = new Map<string, number>();
  private lastEntity = { code: null as string | null, name: null as string | null, index: NONE };
  readonly periodList: string[] = [];
  readonly precisionList: Precision[] = [];
  private readonly periodIndex = new Map<string, number>();
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.rows = new Int32Array(this.capacity);
    this.values = new Float64Array(this.capacity);
    this.entities = new Int32Array(this.capacity);
    this.periods = new Int32Array(this.capacity);
    this.columns = new Int32Array(this.capacity);
  }

  static from(values: Iterable<ParsedValue>): ValueTable {
    const table = new ValueTable(Array.isArray(values) ? values.length : 1024);
    for (const v of values) table.push(v);
    return table;
  }

  /**
   * A table that was copied to another thread (structured clone keeps the data, not the
   * class) made a table again; anything else is returned as it is.
   */
  static revive<T>(values: T | ValueTable): T | ValueTable {
    if (values instanceof ValueTable || Array.isArray(values) || typeof values !== 'object')
      return values;
    if (values === null || !((values as { rows?: unknown }).rows instanceof Int32Array))
      return values;
    return Object.setPrototypeOf(values, ValueTable.prototype) as ValueTable;
  }

  /** The index of an entity, added on first use. Consecutive rows of one entity cost no lookup. */
  entity(code: string | null, name: string | null, isAggregate = false): number {
    const last = this.lastEntity;
    if (last.index !== NONE && last.code === code && last.name === name) return last.index;
    const key = `${code ?? ''}\u0000${name ?? ''}`;
    let index = this.entityIndex.get(key);
    if (index === undefined) {
      index = this.entityList.length;
      this.entityList.push({ code, name, isAggregate });
      this.entityIndex.set(key, index);
    }
    this.lastEntity = { code, name, index };
    return index;
  }

  /** The index of a period (already normalised by parsePeriod), added on first use. */
  period(period: string, precision: Precision): number {
    const key = precision === 'year' ? period : `${precision}:${period}`;
    let index = this.periodIndex.get(key);
    if (index === undefined) {
      index = this.periodList.length;
      this.periodList.push(period);
      this.precisionList.push(precision);
      this.periodIndex.set(key, index);
    }
    return index;
  }

  string(text: string): number {
    let index = this.stringIndex.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.stringIndex.set(text, index);
    }
    return index;
  }

  private grow() {
    const size = this.capacity * 2;
    this.rows = grown(this.rows, size);
    this.values = grown(this.values, size);
    this.entities = grown(this.entities, size);
    this.periods = grown(this.periods, size);
    this.columns = grown(this.columns, size);
    if (this.flags) this.flags = grown(this.flags, size);
    if (this.lows) this.lows = grown(this.lows, size);
    if (this.highs) this.highs = grown(this.highs, size);
    if (this.units) this.units = grown(this.units, size, NONE);
    if (this.notes) this.notes = grown(this.notes, size, NONE);
    if (this.seriesKeys) this.seriesKeys = grown(this.seriesKeys, size, NONE);
    this.capacity = size;
  }

  /** How many values the file has given: those released and those held. */
  get total(): number {
    return this.released + this.length;
  }

  /**
   * Drops every value held, keeping the lists they index and the room they took: the next
   * value is stored at index 0 again, so a file's values cost one batch, not the file.
   */
  release(): void {
    const held = this.length;
    this.released += held;
    this.length = 0;
    // New values rely on the absent marks that the columns were filled with.
    this.flags?.fill(0, 0, held);
    this.units?.fill(NONE, 0, held);
    this.notes?.fill(NONE, 0, held);
    this.seriesKeys?.fill(NONE, 0, held);
  }

  /** Called by whoever needs every value read so far: marks the table partial if some are gone. */
  needsWhole(): void {
    if (this.released > 0) this.partial = true;
  }

  /** Appends a value by its parts (indexes from entity(), period() and string()); returns its index. */
  add(row: number, column: number, entity: number, period: number, value: number): number {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.rows[i] = row;
    this.columns[i] = column;
    this.entities[i] = entity;
    this.periods[i] = period;
    this.values[i] = value;
    return i;
  }

  /** Appends a value given as an object (the readers of the smaller formats, JSON bodies). */
  push(v: ParsedValue): number {
    const i = this.add(
      v.row,
      this.string(v.column),
      this.entity(v.entityCode, v.entityName, v.isAggregate),
      this.period(v.period, v.precision),
      v.value,
    );
    if (v.low !== undefined) this.setLow(i, v.low);
    if (v.high !== undefined) this.setHigh(i, v.high);
    if (v.unit !== undefined) this.setUnit(i, v.unit);
    if (v.note !== undefined) this.setNote(i, v.note);
    if (v.series !== undefined) this.setSeries(i, v.series);
    return i;
  }

  private column(existing: Int32Array | null): Int32Array {
    if (existing) return existing;
    const a = new Int32Array(this.capacity);
    a.fill(NONE);
    return a;
  }

  setLow(i: number, low: number) {
    this.flags ??= new Uint8Array(this.capacity);
    this.lows ??= new Float64Array(this.capacity);
    this.flags[i]! |= HAS_LOW;
    this.lows[i] = low;
  }
  setHigh(i: number, high: number) {
    this.flags ??= new Uint8Array(this.capacity);
    this.highs ??= new Float64Array(this.capacity);
    this.flags[i]! |= HAS_HIGH;
    this.highs[i] = high;
  }
  setUnit(i: number, unit: string) {
    this.units = this.column(this.units);
    this.units[i] = this.string(unit);
  }
  setNote(i: number, note: string | undefined) {
    if (note === undefined) {
      if (this.notes) this.notes[i] = NONE;
      return;
    }
    this.notes = this.column(this.notes);
    this.notes[i] = this.string(note);
  }
  setSeries(i: number, series: string) {
    this.seriesKeys = this.column(this.seriesKeys);
    this.seriesKeys[i] = this.string(series);
  }
  setPeriod(i: number, period: string, precision: Precision) {
    this.periods[i] = this.period(period, precision);
  }

  /** True when some value has a low, a high or a note (the store then writes those columns). */
  get hasExtras(): boolean {
    return this.flags !== null || this.notes !== null;
  }

  row(i: number): number {
    return this.rows[i]!;
  }
  value(i: number): number {
    return this.values[i]!;
  }
  periodOf(i: number): string {
    return this.periodList[this.periods[i]!]!;
  }
  precisionOf(i: number): Precision {
    return this.precisionList[this.periods[i]!]!;
  }
  entityOf(i: number): TableEntity {
    return this.entityList[this.entities[i]!]!;
  }
  columnOf(i: number): string {
    return this.strings[this.columns[i]!]!;
  }
  low(i: number): number | undefined {
    return this.flags && this.flags[i]! & HAS_LOW ? this.lows![i] : undefined;
  }
  high(i: number): number | undefined {
    return this.flags && this.flags[i]! & HAS_HIGH ? this.highs![i] : undefined;
  }
  private text(a: Int32Array | null, i: number): string | undefined {
    const k = a ? a[i]! : NONE;
    return k === NONE ? undefined : this.strings[k];
  }
  unit(i: number): string | undefined {
    return this.text(this.units, i);
  }
  /** The unit's index in `strings`, or -1: the same unit checked once, not once per value. */
  unitIndex(i: number): number {
    return this.units ? this.units[i]! : NONE;
  }
  note(i: number): string | undefined {
    return this.text(this.notes, i);
  }
  series(i: number): string | undefined {
    return this.text(this.seriesKeys, i);
  }

  /** One value as an object. */
  at(i: number): ParsedValue {
    const e = this.entityOf(i);
    const v: ParsedValue = {
      row: this.rows[i]!,
      column: this.columnOf(i),
      entityCode: e.code,
      entityName: e.name,
      isAggregate: e.isAggregate,
      period: this.periodOf(i),
      precision: this.precisionOf(i),
      value: this.values[i]!,
    };
    const low = this.low(i);
    if (low !== undefined) v.low = low;
    const high = this.high(i);
    if (high !== undefined) v.high = high;
    const unit = this.unit(i);
    if (unit !== undefined) v.unit = unit;
    const note = this.note(i);
    if (note !== undefined) v.note = note;
    const series = this.series(i);
    if (series !== undefined) v.series = series;
    return v;
  }

  *[Symbol.iterator](): Iterator<ParsedValue> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  toArray(): ParsedValue[] {
    const out: ParsedValue[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i);
    return out;
  }

  /**
   * Values [from, to) as columns of their own, to move to another thread (their buffers can be
   * transferred); the lists they index stay here, and `ValueTable.over` joins the two there.
   */
  columnsOf(from: number, to: number): TableColumns {
    const cut = <T extends Int32Array | Float64Array | Uint8Array>(a: T | null) =>
      a ? (a.slice(from, to) as T) : null;
    return {
      length: to - from,
      rows: this.rows.slice(from, to),
      values: this.values.slice(from, to),
      entities: this.entities.slice(from, to),
      periods: this.periods.slice(from, to),
      columns: this.columns.slice(from, to),
      flags: cut(this.flags),
      lows: cut(this.lows),
      highs: cut(this.highs),
      units: cut(this.units),
      notes: cut(this.notes),
      seriesKeys: cut(this.seriesKeys),
    };
  }

  /** A table of columns from `columnsOf`, over lists the receiver keeps (shared, not copied). */
  static over(
    columns: TableColumns,
    lists: Pick<ValueTable, 'entityList' | 'periodList' | 'precisionList' | 'strings'>,
  ): ValueTable {
    const table = new ValueTable(16);
    Object.assign(table, columns, { capacity: Math.max(16, columns.length) }, lists);
    return table;
  }

  /** The values at these indexes, as a table of their own. */
  pick(indexes: ArrayLike<number>): ValueTable {
    const t = new ValueTable(indexes.length);
    for (let k = 0; k < indexes.length; k++) t.push(this.at(indexes[k]!));
    return t;
  }
}

/**
 * First row per (key, period) pair of small integers, for duplicate checks: an open-addressing
 * hash on typed arrays, so a million pairs cost about 24 MB, not a Map of strings.
 */
export class PairRows {
  private keys: Float64Array;
  private rows: Int32Array;
  private size = 0;
  private mask: number;

  constructor(capacity = 1 << 12) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.keys = new Float64Array(n).fill(-1);
    this.rows = new Int32Array(n);
    this.mask = n - 1;
  }

  /** The row first recorded for (a, b), or records `row` and returns -1. `b` < 2^26. */
  firstOrSet(a: number, b: number, row: number): number {
    if (this.size * 2 >= this.keys.length) this.rehash();
    const key = a * 67_108_864 + b;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & this.mask;
    for (;;) {
      const k = this.keys[slot]!;
      if (k === -1) {
        this.keys[slot] = key;
        this.rows[slot] = row;
        this.size++;
        return -1;
      }
      if (k === key) return this.rows[slot]!;
      slot = (slot + 1) & this.mask;
    }
  }

  private rehash() {
    const { keys, rows } = this;
    const n = keys.length * 2;
    this.keys = new Float64Array(n).fill(-1);
    this.rows = new Int32Array(n);
    this.mask = n - 1;
    this.size = 0;
    for (let s = 0; s < keys.length; s++) {
      const k = keys[s]!;
      if (k === -1) continue;
      const b = k % 67_108_864;
      this.firstOrSet((k - b) / 67_108_864, b, rows[s]!);
    }
  }
}

/**
 * First row per (a, b) pair for a reader's duplicate check, where a file is mostly a grid
 * (entities × periods): one bit per pair while that grid stays under 16 MB of bits, so a
 * million values cost kilobytes. The first duplicate (or a sparse grid past the budget)
 * switches to PairRows, filled once from the values kept so far by `replay`.
 */
export class FirstRows {
  private bits: Uint8Array[] = [];
  private width = 1024;
  private rows: PairRows | null = null;

  constructor(
    /** Calls `add(a, b, row)` for every pair recorded so far, in file order. */
    private readonly replay: (add: (a: number, b: number, row: number) => void) => void,
  ) {}

  private switchToRows() {
    const rows = new PairRows(1 << 16);
    this.replay((a, b, row) => rows.firstOrSet(a, b, row));
    this.rows = rows;
    this.bits = [];
  }

  /** The row first recorded for (a, b), or records `row` and returns -1. */
  firstOrSet(a: number, b: number, row: number): number {
    if (this.rows) return this.rows.firstOrSet(a, b, row);
    if (b >= this.width) {
      while (b >= this.width) this.width *= 2;
      if (this.bits.length * this.width > 1 << 27) {
        this.switchToRows();
        return this.rows!.firstOrSet(a, b, row);
      }
      this.bits = this.bits.map((old) => {
        const wider = new Uint8Array(this.width / 8);
        wider.set(old);
        return wider;
      });
    }
    if (a >= this.bits.length) {
      if ((a + 1) * this.width > 1 << 27) {
        this.switchToRows();
        return this.rows!.firstOrSet(a, b, row);
      }
      while (this.bits.length <= a) this.bits.push(new Uint8Array(this.width / 8));
    }
    const set = this.bits[a]!;
    const mask = 1 << (b & 7);
    if ((set[b >> 3]! & mask) === 0) {
      set[b >> 3]! |= mask;
      return -1;
    }
    // A duplicate: the hash says where the pair came first.
    this.switchToRows();
    return this.rows!.firstOrSet(a, b, row);
  }
}
