// Sanity check before Save: new values that sit a round factor away from what is already stored
// for the same entity (10×, 1000×, or a unit factor such as TWh/EJ or km²/mi²) were most likely
// read in another unit or scale. Pure: the caller passes the stored and the new points.
import type { ParseProblem } from '../formats';

export interface ScalePoints {
  entity: string;
  /** The stored series' label; for new values, the file's series name if it has several. */
  label: string;
  points: { period: string; x: number; value: number }[];
}

/** Factors between units that files confuse, each with its source. */
const UNIT_FACTORS: { factor: number; what: string }[] = [
  // 1 mi = 1.609344 km exactly (international mile, 1959).
  { factor: 2.589988110336, what: 'per km² against per mi²' },
  // 1 EJ = 10^18 J, 1 TWh = 3.6 × 10^15 J.
  { factor: 1e6 / 3600, what: 'TWh against EJ' },
  { factor: 3.6, what: 'PJ against TWh' },
  // IEA: 1 toe = 41.868 GJ = 11.63 MWh.
  { factor: 11.63, what: 'TWh against Mtoe' },
  { factor: 41.868, what: 'PJ against Mtoe' },
  { factor: 1000 / 41.868, what: 'Mtoe against EJ' },
  // Energy Institute Statistical Review: 7.33 barrels per tonne of crude, 365 days.
  { factor: 7.33, what: 'barrels against tonnes of crude oil' },
  { factor: 7.33e6 / 365 / 1000, what: 'thousand barrels a day against million tonnes a year' },
  // 1 US gallon = 3.785411784 L; 1 ft = 0.3048 m; 1 bbl = 0.158987 m³.
  { factor: 3.785411784, what: 'litres against US gallons' },
  { factor: 1 / 0.3048 ** 3, what: 'cubic feet against cubic metres' },
  { factor: 1 / 0.158987294928, what: 'barrels against cubic metres' },
];

const POWERS = [10, 100, 1000, 1e4, 1e5, 1e6, 1e9, 1e12];
const POWER_NAMES: Record<number, string> = {
  100: ' (percent against a fraction, or hundreds)',
  1000: ' (thousands against units)',
  1e6: ' (millions against units)',
  1e9: ' (billions against units)',
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The factor a ratio is close to, if any: powers of ten within 25%, unit factors within 6%. */
export function suspiciousFactor(ratio: number): { factor: number; what: string } | null {
  if (!(ratio > 0) || !Number.isFinite(ratio)) return null;
  const up = ratio >= 1 ? ratio : 1 / ratio;
  for (const p of POWERS) {
    if (Math.abs(Math.log(up / p)) <= Math.log(1.25))
      return { factor: p, what: POWER_NAMES[p] ?? '' };
  }
  for (const u of UNIT_FACTORS) {
    if (Math.abs(Math.log(up / u.factor)) <= Math.log(1.06))
      return { factor: u.factor, what: ` (${u.what})` };
  }
  return null;
}

const show = (n: number) => n.toLocaleString('en-US', { maximumSignificantDigits: 6 });

/**
 * Warnings for each new series whose values are a suspicious factor away from a stored series
 * of the same entity: compared period by period, or with the nearest stored period within two
 * years when they do not overlap, by the median ratio.
 */
export function scaleWarnings(existing: ScalePoints[], incoming: ScalePoints[]): ParseProblem[] {
  const out: ParseProblem[] = [];
  for (const next of incoming) {
    for (const stored of existing) {
      if (stored.entity !== next.entity || stored.points.length === 0) continue;
      const ratios: number[] = [];
      let example: { period: string; old: number; new: number } | null = null;
      for (const p of next.points) {
        let best: (typeof stored.points)[number] | null = null;
        for (const q of stored.points) {
          const d = Math.abs(q.x - p.x);
          if (d <= 2 && (!best || d < Math.abs(best.x - p.x) || q.period === p.period)) best = q;
        }
        if (
          !best ||
          best.value === 0 ||
          p.value === 0 ||
          Math.sign(best.value) !== Math.sign(p.value)
        )
          continue;
        ratios.push(p.value / best.value);
        example ??= { period: best.period, old: best.value, new: p.value };
      }
      if (ratios.length === 0 || !example) continue;
      const ratio = median(ratios);
      const factor = suspiciousFactor(ratio);
      if (!factor) continue;
      const times = ratio >= 1 ? `${show(factor.factor)}×` : `1/${show(factor.factor)} of`;
      out.push({
        row: null,
        column: null,
        severity: 'warning',
        reason: `the new values${next.label ? ` of ${JSON.stringify(next.label)}` : ''} for ${next.entity} are about ${times} the stored "${stored.label}"${factor.what}: ${example.period} is ${show(example.old)} there and ${show(example.new)} here. Check the unit before saving.`,
      });
      break;
    }
  }
  return out;
}
