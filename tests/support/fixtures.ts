import path from 'node:path';

/** Files the tests read, inside the repository (see tests/fixtures/README.md). */
export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');

/** The founding article's text, which every seeded quote is a slice of. */
export const ARTICLE_TEXT_FILE = path.join(
  FIXTURES,
  'eurasia-daily-monitor-2004-china-kazakhstan.txt',
);

/** A real World Bank API download (SP.POP.GROW) and its country metadata. */
export const WB_FIXTURE = path.join(FIXTURES, 'API_SP.POP.GROW_DS2_en_csv_v2_3404396.csv');
export const WB_METADATA = path.join(
  FIXTURES,
  'Metadata_Country_API_SP.POP.GROW_DS2_en_csv_v2_3404396.csv',
);

/** Eight countries (name, ISO code) for generated daily files, three of them the article's. */
export const DAILY_ENTITIES = [
  ['France', 'FRA'],
  ['Kazakhstan', 'KAZ'],
  ['China', 'CHN'],
  ['Germany', 'DEU'],
  ['Japan', 'JPN'],
  ['Brazil', 'BRA'],
  ['India', 'IND'],
  ['Chile', 'CHL'],
] as const;
