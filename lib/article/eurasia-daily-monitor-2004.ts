// The founding document and every numeric claim in it, exactly as the article states
// them. Quote offsets are Unicode code points into the article text (seeds/000_…txt);
// tests/article/quote-integrity.test.ts checks each one against the text.
import type { Precision, SeriesKind } from '../domain/kinds';

export const ARTICLE_FILE = '000_7f84b538ee34154b.txt';

export const ARTICLE_SOURCE = {
  title: 'China’s Relations With Kazakhstan Are Warming, But To What End?',
  publisher: 'Eurasia Daily Monitor',
  volume: '1',
  issue: '43',
  publishedOn: '2004',
  publishedPrecision: 'year' as Precision,
  publishedNote:
    'The article prints no date. It reports events from May to 29 June 2004 (the latest: a joint conference on June 29 in Almaty), so it was published in 2004, on or after 29 June; no day is recorded.',
  url: null,
  usageNote:
    'Only the quoted sentences and their offsets are stored, not the full article. Cited outlets are given as the article prints them.',
  contentSha256: '18b6befdbf227aaa372f3427d07ba38f0bf87189c0fcfc09b5204bafa61f87c4',
} as const;

/**
 * When the article's figures count as recorded, for the "as known then" view: the
 * earliest date the article can have appeared (it reports a conference on 29 June
 * 2004). Data users add are recorded when they add them.
 */
export const ARTICLE_RECORDED_AT = new Date('2004-06-29T00:00:00.000Z');

export type ArticleQuoteKey =
  'oil-import' | 'oil-consumption' | 'migration' | 'territory' | 'density';

export const ARTICLE_QUOTES: Record<
  ArticleQuoteKey,
  {
    text: string;
    startOffset: number;
    endOffset: number;
    citedOutlet: string | null;
    speaker: string | null;
    attribution: string | null;
  }
> = {
  'oil-import': {
    text: 'Experts believe that by 2010 China will have to import half of its oil needs.',
    startOffset: 4096,
    endOffset: 4173,
    citedOutlet: null,
    speaker: null,
    attribution: 'experts',
  },
  'oil-consumption': {
    text: 'The annual consumption of oil in China is expected to rise to 400 million tons by 2020.',
    startOffset: 4174,
    endOffset: 4261,
    citedOutlet: null,
    speaker: null,
    attribution:
      'experts (implied: this sentence says only “is expected”; the one before cites experts)',
  },
  migration: {
    text: 'Despite restrictive regulations on internal migration, some 12 million Chinese are already moving from villages to overpopulated cities every year (Megapolis, June 24).',
    startOffset: 4400,
    endOffset: 4568,
    citedOutlet: 'Megapolis, June 24',
    speaker: null,
    attribution: 'Megapolis',
  },
  territory: {
    text: 'This bodes ill for Kazakhstan with its rich natural resources and vast swathes of scarcely populated territory five times the size of France.',
    startOffset: 4569,
    endOffset: 4710,
    citedOutlet: null,
    speaker: null,
    attribution: 'the article’s author',
  },
  density: {
    text: 'As the Chinese foreign minister commented to members of the Kazakhstan parliament, “We have 130 people per square kilometer, whereas you have only five” (Ak Zhol Kazakstan, June 11).',
    startOffset: 4711,
    endOffset: 4893,
    citedOutlet: 'Ak Zhol Kazakstan, June 11',
    speaker: 'the Chinese foreign minister',
    attribution: 'the Chinese foreign minister, as reported by Ak Zhol Kazakstan',
  },
};

export const ARTICLE_ENTITIES = [
  { code: 'CHN', name: 'China' },
  { code: 'KAZ', name: 'Kazakhstan' },
  { code: 'FRA', name: 'France' },
] as const;

export type ArticleIndicator = {
  slug: string;
  title: string;
  description: string;
  unitLong: string;
  unitShort: string;
  decimals: number;
  series: {
    entity: (typeof ARTICLE_ENTITIES)[number]['code'];
    kind: SeriesKind;
    label: string;
    observations: {
      period: string;
      precision: Precision;
      value: number;
      note: string | null;
      quote: ArticleQuoteKey;
    }[];
  }[];
};

export const ARTICLE_INDICATORS: ArticleIndicator[] = [
  {
    slug: 'oil-import-share',
    title: 'China’s oil import share',
    description: 'Share of China’s oil needs met by imports.',
    unitLong: 'percent of oil needs',
    unitShort: '%',
    decimals: 0,
    series: [
      {
        entity: 'CHN',
        kind: 'projection',
        label: 'EDM 2004: experts’ projection',
        observations: [
          {
            period: '2010',
            precision: 'year',
            value: 50,
            note: '“half of its oil needs”, by 2010',
            quote: 'oil-import',
          },
        ],
      },
    ],
  },
  {
    slug: 'oil-consumption',
    title: 'China’s annual oil consumption',
    description: 'Oil consumed in China per year.',
    unitLong: 'million tonnes per year',
    unitShort: 'Mt/yr',
    decimals: 0,
    series: [
      {
        entity: 'CHN',
        kind: 'projection',
        label: 'EDM 2004: expected consumption',
        observations: [
          {
            period: '2020',
            precision: 'year',
            value: 400,
            note: '“400 million tons by 2020” (the article’s “tons”, read as metric tonnes)',
            quote: 'oil-consumption',
          },
        ],
      },
    ],
  },
  {
    slug: 'population-density',
    title: 'Population density',
    description: 'People per square kilometre of territory.',
    unitLong: 'people per km²',
    unitShort: 'people/km²',
    decimals: 0,
    series: [
      {
        entity: 'CHN',
        kind: 'reported',
        label: 'EDM 2004: Chinese foreign minister (China)',
        observations: [
          {
            period: '2004',
            precision: 'year',
            value: 130,
            note: '“130 people per square kilometer”',
            quote: 'density',
          },
        ],
      },
      {
        entity: 'KAZ',
        kind: 'reported',
        label: 'EDM 2004: Chinese foreign minister (Kazakhstan)',
        observations: [
          {
            period: '2004',
            precision: 'year',
            value: 5,
            note: '“only five”',
            quote: 'density',
          },
        ],
      },
    ],
  },
  {
    slug: 'rural-urban-migration',
    title: 'Rural–urban migration in China',
    description: 'People moving from villages to cities in China each year.',
    unitLong: 'million people per year',
    unitShort: 'M people/yr',
    decimals: 0,
    series: [
      {
        entity: 'CHN',
        kind: 'reported',
        label: 'EDM 2004: Megapolis report',
        observations: [
          {
            period: '2004',
            precision: 'year',
            value: 12,
            note: '“some 12 million”: an approximate figure',
            quote: 'migration',
          },
        ],
      },
    ],
  },
  {
    slug: 'territory-vs-france',
    title: 'Kazakhstan’s territory compared with France',
    description: 'Land area of Kazakhstan as a multiple of the area of France.',
    unitLong: 'times the area of France',
    unitShort: '× France',
    decimals: 0,
    series: [
      {
        entity: 'KAZ',
        kind: 'reported',
        label: 'EDM 2004: the article',
        observations: [
          {
            period: '2004',
            precision: 'year',
            value: 5,
            note: '“five times the size of France”',
            quote: 'territory',
          },
        ],
      },
    ],
  },
];

/**
 * Indicators the article's comparisons are computed from: they hold no claim of their
 * own; the outcome files (lib/article/outcomes.ts) fill them with observed data.
 */
export const OPERAND_INDICATORS = [
  {
    slug: 'land-area',
    title: 'Land area',
    description:
      'Land area of a country: an operand of the article’s “five times the size of France” (Kazakhstan ÷ France).',
    unitLong: 'km²',
    unitShort: 'km²',
    decimals: 0,
  },
  {
    slug: 'oil-production',
    title: 'Oil production',
    description:
      'Oil produced per year: with consumption, an operand of China’s net oil import share (1 − production ÷ consumption).',
    unitLong: 'million tonnes per year',
    unitShort: 'Mt/yr',
    decimals: 0,
  },
  {
    slug: 'urban-population',
    title: 'Urban population',
    description:
      'People living in urban areas. Its year-on-year change is a proxy for rural–urban migration: it also counts natural growth and the reclassification of places as urban.',
    unitLong: 'people',
    unitShort: 'people',
    decimals: 0,
  },
] as const;

type Operand = { indicator: string; entity: string };

export type ArticleDerivation = {
  slug: string;
  title: string;
  formula: 'ratio' | 'share' | 'difference' | 'change';
  indicator: string | null;
  entity: string | null;
  a: Operand;
  b: Operand | null;
  proxy: boolean;
  quote: ArticleQuoteKey;
  note: string;
};

/** How the article's claims are computed from operand series (see the Derivation model). */
export const ARTICLE_DERIVATIONS: ArticleDerivation[] = [
  {
    slug: 'kazakhstan-area-vs-france',
    title: 'Kazakhstan’s area as a multiple of France’s',
    formula: 'ratio',
    indicator: 'territory-vs-france',
    entity: 'KAZ',
    a: { indicator: 'land-area', entity: 'KAZ' },
    b: { indicator: 'land-area', entity: 'FRA' },
    proxy: false,
    quote: 'territory',
    note: '“five times the size of France”: land area of Kazakhstan ÷ land area of France.',
  },
  {
    slug: 'china-vs-kazakhstan-density',
    title: 'China’s population density against Kazakhstan’s (“130 against five”)',
    formula: 'ratio',
    indicator: null,
    entity: null,
    a: { indicator: 'population-density', entity: 'CHN' },
    b: { indicator: 'population-density', entity: 'KAZ' },
    proxy: false,
    quote: 'density',
    note: 'Population density of China ÷ population density of Kazakhstan.',
  },
  {
    slug: 'china-net-oil-import-share',
    title: 'China’s net oil import share (1 − production ÷ consumption)',
    formula: 'share',
    indicator: 'oil-import-share',
    entity: 'CHN',
    a: { indicator: 'oil-production', entity: 'CHN' },
    b: { indicator: 'oil-consumption', entity: 'CHN' },
    proxy: false,
    quote: 'oil-import',
    note: '“import half of its oil needs”: the part of consumption that domestic production does not cover, 1 − production ÷ consumption. Stock changes are ignored.',
  },
  {
    slug: 'china-urban-population-change',
    title: 'Yearly change in China’s urban population (a proxy for rural–urban migration)',
    formula: 'change',
    indicator: 'rural-urban-migration',
    entity: 'CHN',
    a: { indicator: 'urban-population', entity: 'CHN' },
    b: null,
    proxy: true,
    quote: 'migration',
    note: 'A proxy, not a count of migrants: the year-on-year change of the urban population also counts the natural growth of people already in cities and the reclassification of rural places as urban.',
  },
];
