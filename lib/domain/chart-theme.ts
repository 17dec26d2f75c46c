// The two themes' colours, as app/globals.css sets them (tests/domain/palette.test.ts
// holds the two together), and the chart's theme classes as a stylesheet for charts
// that leave the page: exported SVG and PNG, Open Graph images. Those use the light theme.
export type Theme = {
  bg: string;
  panel: string;
  fg: string;
  muted: string;
  line: string;
  axis: string;
};

export const LIGHT: Theme = {
  bg: '#ffffff',
  panel: '#f6f7f9',
  fg: '#1d2330',
  muted: '#5a6272',
  line: '#d9dde5',
  axis: '#8a93a3',
};

export const DARK: Theme = {
  bg: '#121418',
  panel: '#1b1f26',
  fg: '#e6e9ef',
  muted: '#a4acb9',
  line: '#3a404b',
  axis: '#6b7480',
};

/** The chart's theme classes (server SVG and recharts alike) with a theme's colours. */
export function chartStyle(t: Theme = LIGHT): string {
  return [
    `.chart-grid,.recharts-cartesian-grid line{stroke:${t.line}}`,
    `.chart-zero,.recharts-cartesian-axis-line{stroke:${t.axis}}`,
    `.chart-tick,.chart-unit,.chart-muted,.recharts-cartesian-axis-tick-value{fill:${t.muted}}`,
    `.chart-label,.chart-value,.recharts-label-list text{fill:${t.fg}}`,
    `.chart-hollow{fill:${t.bg}}`,
  ].join('');
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const c = hex.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(c.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
