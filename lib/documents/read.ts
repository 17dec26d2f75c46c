// A stored document for recording claims: its text split into sentences (with the
// code-point offsets every quote is stored with) and the claims already quoted from it.
import 'server-only';
import { getDb, type PrismaClient } from '../db/client';
import { formatCitation } from '../domain/citation';
import { splitSentences } from '../domain/quote';

export async function getDocument(id: number, db: PrismaClient = getDb()) {
  const s = await db.source.findUnique({
    where: { id },
    include: {
      quotes: {
        orderBy: { startOffset: 'asc' },
        include: {
          observations: {
            where: { supersededAt: null },
            select: {
              id: true,
              period: true,
              value: true,
              series: {
                select: { kind: true, indicator: { select: { slug: true, title: true } } },
              },
            },
          },
        },
      },
    },
  });
  if (!s) return null;
  return {
    id: s.id,
    title: s.title,
    publisher: s.publisher,
    publishedOn: s.publishedOn,
    citation: formatCitation(s),
    text: s.text,
    sentences: s.text ? splitSentences(s.text) : [],
    claims: s.quotes.flatMap((q) =>
      q.observations.map((o) => ({
        id: `observation-${o.id}`,
        quote: q.text,
        startOffset: q.startOffset,
        period: o.period,
        value: o.value,
        kind: o.series.kind,
        indicator: o.series.indicator,
      })),
    ),
  };
}

export type DocumentDetail = NonNullable<Awaited<ReturnType<typeof getDocument>>>;

/**
 * A source as `GET /api/sources/<id>` answers it: the document and its citation, and
 * every quote with its offsets (code points into the stored text) and the live claims or
 * values it backs. The text itself is not published (a source may store a whole article
 * for checking quotes, under terms that allow quoting only): its length and SHA-256 let
 * a holder of the document check the offsets.
 */
export async function getSourceJson(id: number, db: PrismaClient = getDb()) {
  const s = await db.source.findUnique({
    where: { id },
    include: {
      quotes: {
        orderBy: { startOffset: 'asc' },
        include: {
          observations: {
            where: { supersededAt: null },
            orderBy: { id: 'asc' },
            select: {
              id: true,
              period: true,
              value: true,
              series: {
                select: {
                  id: true,
                  kind: true,
                  label: true,
                  entity: { select: { code: true } },
                  indicator: { select: { slug: true } },
                },
              },
            },
          },
        },
      },
    },
  });
  if (!s) return null;
  return {
    source: {
      id: s.id,
      title: s.title,
      publisher: s.publisher,
      volume: s.volume,
      issue: s.issue,
      publishedOn: s.publishedOn,
      publishedPrecision: s.publishedPrecision,
      url: s.url,
      license: s.license,
      accessedOn: s.accessedOn,
      citation: formatCitation(s),
      contentSha256: s.contentSha256,
      textLength: s.text === null ? null : Array.from(s.text).length,
      page: `/sources/${s.id}`,
    },
    quotes: s.quotes.map((q) => ({
      id: q.id,
      text: q.text,
      startOffset: q.startOffset,
      endOffset: q.endOffset,
      speaker: q.speaker,
      attribution: q.attribution,
      citedOutlet: q.citedOutlet,
      observations: q.observations.map((o) => ({
        id: o.id,
        period: o.period,
        value: o.value,
        kind: o.series.kind,
        series: { id: o.series.id, label: o.series.label, entity: o.series.entity.code },
        indicator: o.series.indicator.slug,
        claim: o.series.kind === 'observed' ? null : `/api/claims#observation-${o.id}`,
      })),
    })),
  };
}
