// The structure a newcomer reads from the tree (docs/architecture.md): no import
// circles, almost nothing at lib/'s root, and no function body over 150 lines.
import { describe, expect, it } from 'vitest';
import { readHouse } from '../../scripts/house.mjs';

type House = {
  circles: string[][];
  libRoot: string[];
  long: { file: string; name: string; lines: number }[];
};

describe('the house', () => {
  const house = readHouse() as House;

  it('has no import circle', () => {
    expect(house.circles).toEqual([]);
  });

  it('keeps lib/ to folders, with at most a handful of shared files at its root', () => {
    expect(house.libRoot.length).toBeLessThanOrEqual(5);
  });

  it('has no function body over 150 lines', () => {
    const over = house.long.filter((l) => l.lines > 150).map((l) => `${l.file} ${l.name}`);
    expect(over).toEqual([]);
  });
});
