// Defining a derivation. Its values are never stored: the scorecard and the charts
// compute them from the operands on every read, so they follow every revision.
import type { Store } from '../store/types';
import type { DerivationInput } from '../claims/schemas';
import { WriteRefused } from '../documents/writes';
import { derivedToTarget, derivedUnit } from '../domain/derive';
import type { FieldError } from '../schemas';

type IndicatorRow = {
  id: number;
  slug: string;
  title: string;
  unitLong: string;
  unitShort: string;
};

/** "China's net import share" → "china-s-net-import-share". */
export function slugify(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/g, '') || 'derivation'
  );
}

export async function createDerivation(store: Store, input: DerivationInput, now = new Date()) {
  return store.write([], async (db) => {
    const errors: FieldError[] = [];
    const resolve = async (
      path: string,
      ref: { indicator: string; entity: string } | undefined,
    ) => {
      if (!ref) return null;
      const [indicator] = await db.query<IndicatorRow>(
        'SELECT id, slug, title, "unitLong", "unitShort" FROM "Indicator" WHERE slug = ?',
        [ref.indicator],
      );
      const [entity] = await db.query<{ id: number }>('SELECT id FROM "Entity" WHERE code = ?', [
        ref.entity,
      ]);
      if (!indicator)
        errors.push({
          path: `${path}.indicator`,
          message: `there is no indicator “${ref.indicator}”`,
        });
      if (!entity)
        errors.push({ path: `${path}.entity`, message: `there is no entity “${ref.entity}”` });
      return indicator && entity ? { indicator, entityId: entity.id } : null;
    };
    const a = await resolve('a', input.a);
    const b = await resolve('b', input.b);
    const target = await resolve('target', input.target);
    if (
      input.quote !== undefined &&
      (await db.query('SELECT 1 AS found FROM "Quote" WHERE id = ?', [input.quote])).length === 0
    )
      errors.push({ path: 'quote', message: `there is no quote ${input.quote}` });
    if (errors.length) throw new WriteRefused(400, errors);

    const unit = derivedUnit(input.formula, {
      a: a!.indicator.unitLong,
      b: b?.indicator.unitLong ?? null,
    });
    if (!unit.ok) throw new WriteRefused(400, [{ path: 'b', message: unit.reason }]);
    if (target) {
      const t = target.indicator;
      const fits = derivedToTarget(unit.unit, { long: t.unitLong, short: t.unitShort });
      if (!fits.ok)
        throw new WriteRefused(400, [
          {
            path: 'target.indicator',
            message: `the formula gives ${unit.unit}, which cannot be put in ${t.title} (${t.unitLong})`,
          },
        ]);
    }

    const slug = input.slug ?? slugify(input.title);
    if ((await db.query('SELECT 1 AS found FROM "Derivation" WHERE slug = ?', [slug])).length)
      throw new WriteRefused(409, [
        { path: 'slug', message: `a derivation “${slug}” already exists: choose another slug` },
      ]);
    const id = await db.insert(
      `INSERT INTO "Derivation" (slug, title, formula, "indicatorId", "entityId", "aIndicatorId", "aEntityId", "bIndicatorId", "bEntityId", proxy, "quoteId", note, "createdAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        slug,
        input.title,
        input.formula,
        target?.indicator.id ?? null,
        target?.entityId ?? null,
        a!.indicator.id,
        a!.entityId,
        b?.indicator.id ?? null,
        b?.entityId ?? null,
        input.proxy,
        input.quote ?? null,
        input.note ?? null,
        now,
      ],
    );
    return {
      id,
      slug,
      unit: unit.unit,
      affects: [a!.indicator.slug, b?.indicator.slug, target?.indicator.slug].filter(
        (s): s is string => !!s,
      ),
    };
  });
}
