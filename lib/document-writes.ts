// Documents and the claims quoted from them. A document keeps its text (or the excerpt
// an editor pasted) so that every quote's offsets are computed from it and checked
// against it, as the founding article's are against its file.
import crypto from 'node:crypto';
import type { WriterDb } from './db';
import type { ClaimInput, DocumentInput } from './claim-schemas';
import { parsePeriod } from './formats';
import { checkQuote, locateQuote } from './domain/quote';
import { conversionTo, findUnit, normalizeUnit } from './domain/units';
import type { FieldError } from './schemas';
import { sqliteTimestamp, writeTransaction } from './writer';

/** A write refused for a reason the caller can fix; nothing was written. */
export class WriteRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly errors: FieldError[],
  ) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.name = 'WriteRefused';
  }
}

const refuse = (status: 400 | 404 | 409, path: string, message: string): never => {
  throw new WriteRefused(status, [{ path, message }]);
};

function precisionOf(date: string) {
  return (['year', 'month', 'day'] as const)[date.split('-').length - 1] ?? 'day';
}

/** Stores a document with its text; a title already stored for the publisher is a conflict. */
export function createDocument(db: WriterDb, input: DocumentInput, now = new Date()) {
  return writeTransaction(db, () => {
    const exists = db
      .prepare('SELECT id FROM "Source" WHERE title = ? AND publisher = ?')
      .get(input.title, input.publisher) as { id: number } | undefined;
    if (exists)
      refuse(
        409,
        'title',
        `“${input.title}” by ${input.publisher} is already stored (source ${exists.id})`,
      );
    const sha = crypto.createHash('sha256').update(input.text, 'utf8').digest('hex');
    const id = Number(
      db
        .prepare(
          `INSERT INTO "Source" (title, publisher, url, citation, "publishedOn", "publishedPrecision", license, "accessedOn", "usageNote", "contentSha256", text, "createdAt")
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.title,
          input.publisher,
          input.url ?? null,
          input.citation ?? null,
          input.publishedAt,
          precisionOf(input.publishedAt),
          input.license ?? null,
          input.accessedAt ?? now.toISOString().slice(0, 10),
          input.note ?? null,
          sha,
          input.text,
          sqliteTimestamp(now),
        ).lastInsertRowid,
    );
    return { id, contentSha256: sha };
  });
}

export type CreatedClaim = {
  created: boolean;
  observationId: number;
  seriesId: number;
  quoteId: number;
  startOffset: number;
  endOffset: number;
  indicator: string;
};

/**
 * Records a figure quoted from a stored document: the quote (offsets located in, and
 * checked against, the stored text), its series, and the value. Recording the same
 * claim again changes nothing.
 */
export function createClaim(db: WriterDb, input: ClaimInput, now = new Date()): CreatedClaim {
  return writeTransaction(db, () => {
    const at = sqliteTimestamp(now);
    const source = db
      .prepare('SELECT id, title, publisher, "publishedOn", text FROM "Source" WHERE id = ?')
      .get(input.source) as
      | {
          id: number;
          title: string;
          publisher: string;
          publishedOn: string | null;
          text: string | null;
        }
      | undefined;
    if (!source) return refuse(404, 'source', `there is no source ${input.source}`);
    if (source.text === null)
      return refuse(
        400,
        'source',
        'this source stores no text, so a quote cannot be checked against it: add the document with its text',
      );
    const located = locateQuote(source.text, input.quote.text, input.quote.startOffset);
    if (!located.ok) return refuse(400, 'quote.text', located.reason);
    const quote = { text: input.quote.text, startOffset: located.start, endOffset: located.end };
    // The same check the article's quotes pass (tests/article/quote-integrity.test.ts).
    if (!checkQuote(source.text, quote).ok)
      return refuse(400, 'quote.text', 'the quote does not match the stored text');

    const indicator = db
      .prepare('SELECT id, slug, "unitLong", "unitShort" FROM "Indicator" WHERE slug = ?')
      .get(input.indicator) as
      { id: number; slug: string; unitLong: string; unitShort: string } | undefined;
    if (!indicator) return refuse(400, 'indicator', `there is no indicator “${input.indicator}”`);
    const unit = input.unit ?? indicator.unitLong;
    const conversion = conversionTo(unit, { long: indicator.unitLong, short: indicator.unitShort });
    if (!conversion.ok) return refuse(400, 'unit', conversion.reason);
    const sameUnit =
      conversion.factor === 1 ||
      [indicator.unitLong, indicator.unitShort].some(
        (u) => normalizeUnit(u) === normalizeUnit(unit),
      );
    const unitToStore = sameUnit ? null : (findUnit(unit)?.name ?? unit);

    const period = parsePeriod(input.period, 1000, 2200);
    if ('error' in period) return refuse(400, 'period', period.error);

    let entity = db.prepare('SELECT id FROM "Entity" WHERE code = ?').get(input.entity) as
      { id: number } | undefined;
    if (!entity) {
      if (!input.entityName)
        return refuse(
          400,
          'entity',
          `unknown entity code “${input.entity}”: give entityName to create it`,
        );
      entity = {
        id: Number(
          db
            .prepare('INSERT INTO "Entity" (code, name) VALUES (?, ?)')
            .run(input.entity, input.entityName).lastInsertRowid,
        ),
      };
    }

    let quoteRow = db
      .prepare(
        'SELECT id FROM "Quote" WHERE "sourceId" = ? AND "startOffset" = ? AND "endOffset" = ?',
      )
      .get(source.id, quote.startOffset, quote.endOffset) as { id: number } | undefined;
    quoteRow ??= {
      id: Number(
        db
          .prepare(
            'INSERT INTO "Quote" ("sourceId", text, "startOffset", "endOffset", "citedOutlet", speaker, attribution) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            source.id,
            quote.text,
            quote.startOffset,
            quote.endOffset,
            input.citedOutlet ?? null,
            input.speaker ?? null,
            input.attribution ?? null,
          ).lastInsertRowid,
      ),
    };

    const year = source.publishedOn?.slice(0, 4) ?? 'n.d.';
    const who = input.speaker ?? input.attribution;
    const label = input.label ?? `${source.publisher} ${year}${who ? `: ${who}` : ''}`;
    let series = db
      .prepare(
        'SELECT id, unit FROM "Series" WHERE "indicatorId" = ? AND "entityId" = ? AND kind = ? AND "sourceId" = ? AND label = ?',
      )
      .get(indicator.id, entity.id, input.kind, source.id, label) as
      { id: number; unit: string | null } | undefined;
    if (series && (series.unit ?? null) !== unitToStore)
      return refuse(
        409,
        'unit',
        `the series “${label}” records values in ${series.unit ?? indicator.unitLong}: state this claim in that unit or give it another label`,
      );
    series ??= {
      id: Number(
        db
          .prepare(
            'INSERT INTO "Series" ("indicatorId", "entityId", kind, label, unit, "sourceId", "recordedAt") VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(indicator.id, entity.id, input.kind, label, unitToStore, source.id, at)
          .lastInsertRowid,
      ),
      unit: unitToStore,
    };

    const current = db
      .prepare(
        'SELECT id, value, "quoteId" FROM "Observation" WHERE "seriesId" = ? AND period = ? AND "supersededAt" IS NULL',
      )
      .get(series.id, period.period) as
      { id: number; value: number; quoteId: number | null } | undefined;
    const result = {
      seriesId: series.id,
      quoteId: quoteRow.id,
      startOffset: quote.startOffset,
      endOffset: quote.endOffset,
      indicator: indicator.slug,
    };
    if (current) {
      if (current.value === input.value && current.quoteId === quoteRow.id)
        return { ...result, created: false, observationId: current.id };
      return refuse(
        409,
        'label',
        `the series “${label}” already has a claim for ${period.period} (${current.value}): give this one another label`,
      );
    }
    const observationId = Number(
      db
        .prepare(
          'INSERT INTO "Observation" ("seriesId", period, precision, value, note, "quoteId", revision, "recordedAt") VALUES (?, ?, ?, ?, ?, ?, 1, ?)',
        )
        .run(
          series.id,
          period.period,
          period.precision,
          input.value,
          input.note ?? null,
          quoteRow.id,
          at,
        ).lastInsertRowid,
    );
    return { ...result, created: true, observationId };
  });
}
