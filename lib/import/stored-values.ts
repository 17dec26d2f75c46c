// The stored values a preview compares new ones with, read through the store inside the write
// job (so the API's dry run and the Add data page get the same checks).
import type { Store, StoreReader } from '../store/types';
import { periodToYear } from '../domain/period';
import { conversionTo } from '../domain/units';
import type { ParseProblem } from '../formats';
import type { ImportReport } from './import-data';
import { scaleWarnings, type ScalePoints } from './scale-check';
import type { FileImport } from './sources';

const MAX_POINTS = 5000;

/** Current values of the indicator's visible series for these entities, in the indicator's unit. */
export async function storedValues(
  db: StoreReader,
  slug: string,
  codes: string[],
): Promise<ScalePoints[]> {
  if (codes.length === 0) return [];
  const { indicator, rows } = await db.storedValues(slug, codes, MAX_POINTS * 10);
  if (!indicator) return [];
  const series = new Map<number, ScalePoints & { factor: number }>();
  for (const r of rows) {
    let s = series.get(r.id);
    if (!s) {
      const c = r.unit
        ? conversionTo(r.unit, { long: indicator.unitLong, short: indicator.unitShort })
        : null;
      s = { entity: r.code, label: r.label, points: [], factor: c?.ok ? c.factor : 1 };
      series.set(r.id, s);
    }
    s.points.push({ period: r.period, x: periodToYear(r.period), value: r.value * s.factor });
  }
  return [...series.values()];
}

/** Scale warnings for a previewed file import (see scale-check.ts). */
export async function scaleWarningsFor(
  db: Store,
  report: ImportReport,
  file: FileImport,
): Promise<ParseProblem[]> {
  const slug = report.indicator?.slug;
  if (!slug || report.indicator?.isNew || !report.ok) return [];
  const factor = report.unit?.factor ?? 1;
  const incoming = new Map<string, ScalePoints>();
  file.items.forEach(({ input }, i) => {
    for (const v of input.values) {
      if (!v.entityCode) continue;
      const key = `${i}\u0000${v.entityCode}`;
      let group = incoming.get(key);
      if (!group) {
        group = { entity: v.entityCode, label: input.series ?? '', points: [] };
        incoming.set(key, group);
      }
      if (group.points.length < MAX_POINTS) {
        group.points.push({ period: v.period, x: periodToYear(v.period), value: v.value * factor });
      }
    }
  });
  const codes = [...new Set([...incoming.values()].map((g) => g.entity))];
  const stored = await db.read((reader) => storedValues(reader, slug, codes));
  return scaleWarnings(stored, [...incoming.values()]);
}
