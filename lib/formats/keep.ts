// Which entities' rows an import keeps, known while the file is read: the chosen entities
// (meta.entities), or only countries (mapping.countriesOnly), or everything but aggregates.
// The plan applies the same rule to the values; the parser needs it to tell a region listed
// twice (skipped, like the region) from a real duplicate (an error).
import countries from 'i18n-iso-countries';
import { countryCodesForName, isAggregateName } from './entities';

/** Whether an entity's rows are kept (a duplicate of a skipped entity is no error). */
export type EntityKeeper = (
  code: string | null,
  name: string | null,
  aggregate: boolean,
) => boolean;

/** Codes that are countries though not (yet) in ISO 3166: Kosovo. */
const USER_ASSIGNED_COUNTRIES = new Set(['XKX']);

/** True for an ISO 3166 alpha-3 country code (or Kosovo's XKX), not a region's or a group's. */
export function isCountryCode(code: string): boolean {
  const upper = code.toUpperCase();
  return USER_ASSIGNED_COUNTRIES.has(upper) || countries.isValid(upper);
}

export function entityKeeper(
  entities: readonly string[] | undefined,
  countriesOnly: boolean,
  userNames: Record<string, string> = {},
): EntityKeeper {
  const chosen =
    entities && entities.length > 0 ? new Set(entities.map((e) => e.toUpperCase())) : null;
  const named = new Map(Object.entries(userNames).map(([n, c]) => [n.trim().toLowerCase(), c]));
  const cache = new Map<string, string | null>();
  const codeOf = (name: string): string | null => {
    const key = name.trim().toLowerCase();
    let code = cache.get(key);
    if (code === undefined) {
      const codes = isAggregateName(key) ? [] : countryCodesForName(name);
      code = named.get(key) ?? (codes.length === 1 ? codes[0]! : null);
      cache.set(key, code);
    }
    return code;
  };
  return (code, name, aggregate) => {
    const resolved = code ?? (name ? codeOf(name) : null);
    if (chosen) return resolved !== null && chosen.has(resolved.toUpperCase());
    if (aggregate || (name && !code && isAggregateName(name))) return false;
    if (countriesOnly) return resolved !== null && isCountryCode(resolved);
    return true;
  };
}
