// The observed data shipped with Sourced (prisma/data/outcomes/, described in SOURCES.md
// there): five unmodified files, each loaded through the import path a user's upload
// takes, with the provenance a user would give it.
import type { ImportMetaInput } from '../schemas';

export const OUTCOMES_DIR = ['prisma', 'data', 'outcomes'] as const;

/** When the files were obtained: each source's "accessed" date. */
export const OUTCOMES_OBTAINED = '2026-11-30';

const CC_BY = 'CC BY 4.0';

/**
 * The article's entities only, so that the charts show what the claims are about; the
 * World average sits beside the two densities as a comparator. Users import any other
 * country from the same files.
 */
const ARTICLE_COUNTRIES = ['CHN', 'KAZ', 'FRA'];

/** Names for the series labels; the import takes each entity's name from the file. */
const NAMES: Record<string, string> = {
  CHN: 'China',
  KAZ: 'Kazakhstan',
  FRA: 'France',
  WLD: 'World',
};

export type OutcomeFile = {
  file: string;
  /** The file as published: the seed refuses a file that was edited. */
  sha256: string;
  /** The entities loaded, each as its own series. */
  entities: string[];
  /**
   * Series labels are "<series> (<entity>)": distinct from the "<producer> (<entity>)" a
   * user's own upload of the same file gets by default, so the two never look alike.
   */
  series: string;
  meta: Omit<ImportMetaInput, 'entities' | 'label'>;
};

/** The import requests of one file: one per entity, so each series is labelled with its entity. */
export function outcomeImports(file: OutcomeFile): ImportMetaInput[] {
  return file.entities.map((code) => ({
    ...file.meta,
    entities: [code],
    label: `${file.series} (${NAMES[code] ?? code})`,
  }));
}

export const OUTCOME_FILES: OutcomeFile[] = [
  {
    file: 'API_EN.POP.DNST_DS2_en_csv_v2_868885.csv',
    sha256: '496c66acd6233f59290c44ad8d0462f7e08a52e4e476d41ef779d68865551ab2',
    entities: [...ARTICLE_COUNTRIES, 'WLD'],
    series: 'World Bank WDI',
    meta: {
      indicator: 'population-density',
      kind: 'observed',
      unit: 'people per km²',
      format: 'worldbank',
      createEntities: true,
      source: {
        title: 'Population density (people per sq. km of land area)',
        producer: 'World Bank',
        url: 'https://data.worldbank.org/indicator/EN.POP.DNST',
        publishedAt: '2020-02-27',
        accessedAt: OUTCOMES_OBTAINED,
        license: CC_BY,
        note: 'World Development Indicators, EN.POP.DNST; “Last Updated Date” 2020-02-27 in the file. File API_EN.POP.DNST_DS2_en_csv_v2_868885.csv, shipped unmodified in prisma/data/outcomes/.',
      },
    },
  },
  {
    file: 'API_AG.LND.TOTL.K2_DS2_en_csv_v2_323.csv',
    sha256: '81e8699a8dbbf352c8ed6d6c46518aba3bd191459fd927979de48806c5291430',
    entities: ARTICLE_COUNTRIES,
    series: 'World Bank WDI',
    meta: {
      indicator: 'land-area',
      kind: 'observed',
      unit: 'km²',
      format: 'worldbank',
      createEntities: true,
      source: {
        title: 'Land area (sq. km)',
        producer: 'World Bank',
        url: 'https://data.worldbank.org/indicator/AG.LND.TOTL.K2',
        publishedAt: '2026-01-28',
        accessedAt: OUTCOMES_OBTAINED,
        license: CC_BY,
        note: 'World Development Indicators, AG.LND.TOTL.K2, from the Food and Agriculture Organization; “Last Updated Date” 2026-01-28 in the file. File API_AG.LND.TOTL.K2_DS2_en_csv_v2_323.csv, shipped unmodified in prisma/data/outcomes/.',
      },
    },
  },
  {
    file: 'oil-consumption-by-country.csv',
    sha256: 'a7a996d232b50697aac874c765db1c49834f8893452c82bf233e608b9322b9dc',
    entities: ARTICLE_COUNTRIES,
    series: 'OWID, BP Statistical Review',
    meta: {
      indicator: 'oil-consumption',
      kind: 'observed',
      unit: 'terawatt-hours per year',
      format: 'owid',
      createEntities: true,
      source: {
        title: 'Oil consumption by country',
        producer: 'Our World in Data',
        url: 'https://ourworldindata.org/grapher/oil-consumption-by-country',
        accessedAt: OUTCOMES_OBTAINED,
        license: `${CC_BY} (Our World in Data); data from the BP Statistical Review of World Energy 2021`,
        note: 'Primary energy from oil, in TWh, from the BP Statistical Review of World Energy 2021; the file states no update date. Shown in million tonnes with 1 Mtoe = 11.63 TWh. File oil-consumption-by-country.csv, shipped unmodified in prisma/data/outcomes/.',
      },
    },
  },
  {
    file: 'oil-production-by-country.csv',
    sha256: '8ca6a50fc831fa69f96297b788cf16236152654e737612ba85f94495e2559fe3',
    entities: ARTICLE_COUNTRIES,
    series: 'OWID, BP and Shift Project',
    meta: {
      indicator: 'oil-production',
      kind: 'observed',
      unit: 'terawatt-hours per year',
      format: 'owid',
      createEntities: true,
      source: {
        title: 'Oil production by country',
        producer: 'Our World in Data',
        url: 'https://ourworldindata.org/grapher/oil-production-by-country',
        accessedAt: OUTCOMES_OBTAINED,
        license: `${CC_BY} (Our World in Data); data from BP and The Shift Project`,
        note: 'Oil production in TWh, from the BP Statistical Review of World Energy and The Shift Project; the file states no update date. File oil-production-by-country.csv, shipped unmodified in prisma/data/outcomes/.',
      },
    },
  },
  {
    file: 'urban-and-rural-population.csv',
    sha256: '4a6ebeea09aba6df5b2e45106209f601ae8bfdceed7c6ea67b23b3b752cf1410',
    entities: ARTICLE_COUNTRIES,
    series: 'OWID, World Bank and UN WUP',
    meta: {
      indicator: 'urban-population',
      kind: 'observed',
      unit: 'people',
      format: 'owid',
      valueColumn: 'Urban population',
      createEntities: true,
      source: {
        title: 'Urban and rural population',
        producer: 'Our World in Data',
        url: 'https://ourworldindata.org/grapher/urban-and-rural-population',
        accessedAt: OUTCOMES_OBTAINED,
        license: CC_BY,
        note: 'The “Urban population” column, from the World Bank and the UN World Urbanization Prospects; the file states no update date. File urban-and-rural-population.csv, shipped unmodified in prisma/data/outcomes/.',
      },
    },
  },
];
