/**
 * World Bank codes for aggregates (regions, income groups, lending groups, demographic groups),
 * which World Bank files mix in among countries.
 *
 * Generated once from the rows with an empty Region in
 * shared/fixtures/Metadata_Country_API_SP.POP.GROW_DS2_en_csv_v2_3404396.csv (WDI, last updated
 * 2024-06-28), plus INX, "Not classified", which the data files carry but the metadata omits.
 * The World Bank rarely adds groups; regenerate from a newer metadata file if one appears.
 */
export const WORLD_BANK_AGGREGATE_CODES: ReadonlySet<string> = new Set([
  'AFE', // Africa Eastern and Southern
  'AFW', // Africa Western and Central
  'ARB', // Arab World
  'CEB', // Central Europe and the Baltics
  'CSS', // Caribbean small states
  'EAP', // East Asia & Pacific (excluding high income)
  'EAR', // Early-demographic dividend
  'EAS', // East Asia & Pacific
  'ECA', // Europe & Central Asia (excluding high income)
  'ECS', // Europe & Central Asia
  'EMU', // Euro area
  'EUU', // European Union
  'FCS', // Fragile and conflict affected situations
  'HIC', // High income
  'HPC', // Heavily indebted poor countries (HIPC)
  'IBD', // IBRD only
  'IBT', // IDA & IBRD total
  'IDA', // IDA total
  'IDB', // IDA blend
  'IDX', // IDA only
  'LAC', // Latin America & Caribbean (excluding high income)
  'LCN', // Latin America & Caribbean
  'LDC', // Least developed countries: UN classification
  'LIC', // Low income
  'LMC', // Lower middle income
  'LMY', // Low & middle income
  'LTE', // Late-demographic dividend
  'MEA', // Middle East & North Africa
  'MIC', // Middle income
  'MNA', // Middle East & North Africa (excluding high income)
  'NAC', // North America
  'OED', // OECD members
  'OSS', // Other small states
  'PRE', // Pre-demographic dividend
  'PSS', // Pacific island small states
  'PST', // Post-demographic dividend
  'SAS', // South Asia
  'SSA', // Sub-Saharan Africa (excluding high income)
  'SSF', // Sub-Saharan Africa
  'SST', // Small states
  'TEA', // East Asia & Pacific (IDA & IBRD)
  'TEC', // Europe & Central Asia (IDA & IBRD)
  'TLA', // Latin America & Caribbean (IDA & IBRD)
  'TMN', // Middle East & North Africa (IDA & IBRD)
  'TSA', // South Asia (IDA & IBRD)
  'TSS', // Sub-Saharan Africa (IDA & IBRD)
  'UMC', // Upper middle income
  'WLD', // World
  'INX', // Not classified
]);

/** The same aggregates by name (TableName in the metadata), for files that carry no codes. */
export const WORLD_BANK_AGGREGATE_NAMES: ReadonlySet<string> = new Set(
  [
    'Africa Eastern and Southern',
    'Africa Western and Central',
    'Arab World',
    'Central Europe and the Baltics',
    'Caribbean small states',
    'East Asia & Pacific (excluding high income)',
    'Early-demographic dividend',
    'East Asia & Pacific',
    'Europe & Central Asia (excluding high income)',
    'Europe & Central Asia',
    'Euro area',
    'European Union',
    'Fragile and conflict affected situations',
    'High income',
    'Heavily indebted poor countries (HIPC)',
    'IBRD only',
    'IDA & IBRD total',
    'IDA total',
    'IDA blend',
    'IDA only',
    'Latin America & Caribbean (excluding high income)',
    'Latin America & Caribbean',
    'Least developed countries: UN classification',
    'Low income',
    'Lower middle income',
    'Low & middle income',
    'Late-demographic dividend',
    'Middle East & North Africa',
    'Middle income',
    'Middle East & North Africa (excluding high income)',
    'North America',
    'OECD members',
    'Other small states',
    'Pre-demographic dividend',
    'Pacific island small states',
    'Post-demographic dividend',
    'South Asia',
    'Sub-Saharan Africa (excluding high income)',
    'Sub-Saharan Africa',
    'Small states',
    'East Asia & Pacific (IDA & IBRD)',
    'Europe & Central Asia (IDA & IBRD)',
    'Latin America & Caribbean (IDA & IBRD)',
    'Middle East & North Africa (IDA & IBRD)',
    'South Asia (IDA & IBRD)',
    'Sub-Saharan Africa (IDA & IBRD)',
    'Upper middle income',
    'World',
    'Not classified',
  ].map((name) => name.toLowerCase()),
);
