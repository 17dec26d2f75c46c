// Loads the founding article into the database. Idempotent: everything is looked up
// by its natural key first and created only when missing, and nothing that exists
// (whether seeded earlier or edited by a user since) is ever updated.
import type { PrismaClient } from '../generated/prisma/client';
import {
  ARTICLE_ENTITIES,
  ARTICLE_INDICATORS,
  ARTICLE_QUOTES,
  ARTICLE_DERIVATIONS,
  ARTICLE_RECORDED_AT,
  ARTICLE_SOURCE,
  OPERAND_INDICATORS,
  type ArticleQuoteKey,
} from './eurasia-daily-monitor-2004';

export type SeedReport = { created: Record<string, number> };

export async function seedArticle(db: PrismaClient): Promise<SeedReport> {
  const created = {
    sources: 0,
    quotes: 0,
    entities: 0,
    indicators: 0,
    series: 0,
    observations: 0,
    derivations: 0,
  };

  await db.$transaction(async (tx) => {
    let source = await tx.source.findUnique({
      where: {
        title_publisher: { title: ARTICLE_SOURCE.title, publisher: ARTICLE_SOURCE.publisher },
      },
    });
    if (!source) {
      source = await tx.source.create({ data: { ...ARTICLE_SOURCE } });
      created.sources++;
    }
    const sourceId = source.id;

    const quoteIds = {} as Record<ArticleQuoteKey, number>;
    for (const [key, q] of Object.entries(ARTICLE_QUOTES) as [
      ArticleQuoteKey,
      (typeof ARTICLE_QUOTES)[ArticleQuoteKey],
    ][]) {
      const where = {
        sourceId_startOffset_endOffset: {
          sourceId,
          startOffset: q.startOffset,
          endOffset: q.endOffset,
        },
      };
      let quote = await tx.quote.findUnique({ where });
      if (!quote) {
        quote = await tx.quote.create({ data: { sourceId, ...q } });
        created.quotes++;
      }
      quoteIds[key] = quote.id;
    }

    const entityIds = new Map<string, number>();
    for (const e of ARTICLE_ENTITIES) {
      let entity = await tx.entity.findUnique({ where: { code: e.code } });
      if (!entity) {
        entity = await tx.entity.create({ data: { ...e } });
        created.entities++;
      }
      entityIds.set(e.code, entity.id);
    }

    for (const { series, ...fields } of ARTICLE_INDICATORS) {
      let indicator = await tx.indicator.findUnique({ where: { slug: fields.slug } });
      if (!indicator) {
        indicator = await tx.indicator.create({
          data: { ...fields, createdAt: ARTICLE_RECORDED_AT },
        });
        created.indicators++;
      }
      for (const { observations, entity, ...s } of series) {
        const entityId = entityIds.get(entity);
        if (entityId === undefined) throw new Error(`Article entity ${entity} was not seeded`);
        const key = { indicatorId: indicator.id, entityId, kind: s.kind, sourceId, label: s.label };
        let row = await tx.series.findUnique({
          where: { indicatorId_entityId_kind_sourceId_label: key },
        });
        if (!row) {
          row = await tx.series.create({ data: { ...key, recordedAt: ARTICLE_RECORDED_AT } });
          created.series++;
        }
        for (const o of observations) {
          const existing = await tx.observation.findFirst({
            where: { seriesId: row.id, period: o.period },
          });
          if (existing) continue;
          await tx.observation.create({
            data: {
              seriesId: row.id,
              period: o.period,
              precision: o.precision,
              value: o.value,
              note: o.note,
              quoteId: quoteIds[o.quote],
              recordedAt: ARTICLE_RECORDED_AT,
            },
          });
          created.observations++;
        }
      }
    }

    for (const fields of OPERAND_INDICATORS) {
      if (!(await tx.indicator.findUnique({ where: { slug: fields.slug } }))) {
        await tx.indicator.create({ data: { ...fields } });
        created.indicators++;
      }
    }
    const indicatorId = async (slug: string) =>
      (await tx.indicator.findUniqueOrThrow({ where: { slug } })).id;
    const entityId = (code: string) => {
      const id = entityIds.get(code);
      if (id === undefined) throw new Error(`Article entity ${code} was not seeded`);
      return id;
    };
    for (const d of ARTICLE_DERIVATIONS) {
      if (await tx.derivation.findUnique({ where: { slug: d.slug } })) continue;
      await tx.derivation.create({
        data: {
          slug: d.slug,
          title: d.title,
          formula: d.formula,
          indicatorId: d.indicator ? await indicatorId(d.indicator) : null,
          entityId: d.entity ? entityId(d.entity) : null,
          aIndicatorId: await indicatorId(d.a.indicator),
          aEntityId: entityId(d.a.entity),
          bIndicatorId: d.b ? await indicatorId(d.b.indicator) : null,
          bEntityId: d.b ? entityId(d.b.entity) : null,
          proxy: d.proxy,
          quoteId: quoteIds[d.quote],
          note: d.note,
        },
      });
      created.derivations++;
    }
  });

  return { created };
}
