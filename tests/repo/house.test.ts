// The structure a newcomer reads from the tree (docs/architecture.md): no import
// circles, almost nothing at lib/'s root, and no function body over 150 lines beyond
// the ones still waiting to be split (each listed with its owner's folder, to shrink).
import { describe, expect, it } from 'vitest';
import { readHouse } from '../../scripts/house.mjs';

type House = {
  circles: string[][];
  libRoot: string[];
  long: { file: string; name: string; lines: number }[];
};

/** Over 150 lines today; remove an entry when its function is split. */
const NOT_YET_SPLIT = new Set([
  'lib/claims/scorecard.ts getScorecard',
  'app/indicators/[slug]/chart-panel.tsx Panel',
  'lib/read/postgres.ts readStoreOn',
  'app/indicators/[slug]/page.tsx IndicatorPage',
  'lib/views/indicator.ts buildView',
  'app/sources/[id]/claims/new/claim-form.tsx ClaimForm',
  'app/indicators/[slug]/entity-picker.tsx EntityPicker',
]);

describe('the house', () => {
  const house = readHouse() as House;

  it('has no import circle', () => {
    expect(house.circles).toEqual([]);
  });

  it('keeps lib/ to folders, with at most a handful of shared files at its root', () => {
    expect(house.libRoot.length).toBeLessThanOrEqual(5);
  });

  it('has no new function body over 150 lines', () => {
    const over = house.long
      .filter((l) => l.lines > 150)
      .map((l) => `${l.file} ${l.name}`)
      .filter((key) => !NOT_YET_SPLIT.has(key));
    expect(over).toEqual([]);
  });
});
