// The one bound on stored values besides being finite, shared by the write rule
// (lib/domain/units.ts) and the chart layout, which must stay small for the browser.

/**
 * The magnitudes a value may have, besides 0: within them the span of any two values,
 * their ratio's logarithm and an axis padded around them stay finite, so every chart,
 * table and download can show them (1e300 ÷ 1e-300 would not be).
 */
export const LARGEST_VALUE = 1e300;
export const SMALLEST_VALUE = 1e-300;

/** Whether a chart can draw `value`: finite, and 0 or within the magnitudes above. */
export function drawable(value: number): boolean {
  const m = Math.abs(value);
  return m === 0 || (m >= SMALLEST_VALUE && m <= LARGEST_VALUE);
}
