// Derivations as the pages and the API list them: formula, operands, proxy flag.
import 'server-only';
import { getDb, type PrismaClient } from '../db/client';
import { listDerivations, type DerivationRow } from '../claims/store';
import { describeFormula, isFormula, type Formula } from '../domain/derive';

export type DerivationRef = {
  id: number;
  slug: string;
  title: string;
  formula: Formula;
  /** "1 − oil production (China) ÷ oil consumption (China)". */
  expression: string;
  proxy: boolean;
  note: string | null;
  operands: {
    role: 'a' | 'b';
    indicator: { slug: string; title: string };
    entity: { code: string; name: string };
  }[];
};

export function derivationRef(d: DerivationRow): DerivationRef {
  const formula: Formula = isFormula(d.formula) ? d.formula : 'ratio';
  const name = (i: { title: string }, e: { name: string }) => `${i.title} (${e.name})`;
  const operands: DerivationRef['operands'] = [
    {
      role: 'a',
      indicator: { slug: d.aIndicator.slug, title: d.aIndicator.title },
      entity: { code: d.aEntity.code, name: d.aEntity.name },
    },
  ];
  if (d.bIndicator && d.bEntity)
    operands.push({
      role: 'b',
      indicator: { slug: d.bIndicator.slug, title: d.bIndicator.title },
      entity: { code: d.bEntity.code, name: d.bEntity.name },
    });
  return {
    id: d.id,
    slug: d.slug,
    title: d.title,
    formula,
    expression: describeFormula(
      formula,
      name(d.aIndicator, d.aEntity),
      d.bIndicator && d.bEntity ? name(d.bIndicator, d.bEntity) : null,
    ),
    proxy: d.proxy,
    note: d.note,
    operands,
  };
}

/** Every derivation, oldest first, for the API and the forms. */
export async function listDerivationSummaries(db: PrismaClient = getDb()) {
  const rows = await listDerivations(db);
  return rows.map((d) => ({
    ...derivationRef(d),
    target: d.indicator && d.entity ? { indicator: d.indicator.slug, entity: d.entity.code } : null,
    quoteId: d.quoteId,
  }));
}

/** The indicator-and-entity pairs that have claims: what a derivation can compute outcomes for. */
export async function listClaimTargets(db: PrismaClient = getDb()) {
  const rows = await db.series.findMany({
    where: { kind: { in: ['projection', 'reported'] }, archivedAt: null },
    select: {
      indicator: { select: { slug: true, title: true, unitLong: true } },
      entity: { select: { code: true, name: true } },
    },
    orderBy: [{ indicatorId: 'asc' }, { entityId: 'asc' }],
  });
  const seen = new Map<string, (typeof rows)[number]>();
  for (const r of rows) seen.set(`${r.indicator.slug}:${r.entity.code}`, r);
  return [...seen.values()];
}
