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
