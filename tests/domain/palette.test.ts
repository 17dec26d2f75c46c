import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PALETTE } from '@/lib/domain/chart-view';
import { contrast, DARK, LIGHT } from '@/lib/domain/chart-theme';

const css = fs.readFileSync(path.resolve(import.meta.dirname, '../../app/globals.css'), 'utf8');

/** The custom properties of the block that `marker` (ending in its brace) opens in globals.css. */
function variables(marker: string): Record<string, string> {
  const start = css.indexOf(marker) + marker.length;
  const block = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries(
    [...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]),
  );
}

const themes = {
  light: { css: variables(':root {'), theme: LIGHT },
  dark: { css: variables('@media (prefers-color-scheme: dark) {\n  :root {'), theme: DARK },
};

describe.each(Object.entries(themes))('the %s theme', (_name, { css: vars, theme }) => {
  it('is the theme the exported charts use (globals.css and chart-theme.ts agree)', () => {
    for (const [key, value] of Object.entries(theme)) expect(vars[key], key).toBe(value);
  });

  it('gives every series colour at least 3:1 against the page and the panels', () => {
    for (const color of PALETTE)
      for (const bg of [vars.bg!, vars.panel!])
        expect(contrast(color, bg), `${color} on ${bg}`).toBeGreaterThanOrEqual(3);
  });

  it('gives text at least 4.5:1', () => {
    for (const fg of ['fg', 'muted', 'accent', 'notice', 'problem', 'held'])
      for (const bg of [vars.bg!, vars.panel!])
        expect(contrast(vars[fg]!, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  });
});
