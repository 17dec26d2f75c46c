// An observation's uncertainty range (low, high), checked the same way whether it came
// from a file, the JSON API or the form.

export type BoundsProblem = {
  column: 'low' | 'value';
  reason: string;
  severity: 'error' | 'warning';
};

export function boundsProblem(
  value: number,
  low: number | null | undefined,
  high: number | null | undefined,
): BoundsProblem | null {
  const hasLow = typeof low === 'number';
  const hasHigh = typeof high === 'number';
  if (hasLow && hasHigh && low > high) {
    return {
      column: 'low',
      reason: `low (${low}) is greater than high (${high})`,
      severity: 'error',
    };
  }
  // A central estimate outside its own range is odd but happens in published data.
  if ((hasLow && value < low) || (hasHigh && value > high)) {
    return {
      column: 'value',
      reason: `the value ${value} lies outside its low–high range`,
      severity: 'warning',
    };
  }
  return null;
}
