// Documents and the claims quoted from them. A document keeps its text (or the excerpt
// an editor pasted) so that every quote's offsets are computed from it and checked
// against it, as the founding article's are against its file.
import crypto from 'node:crypto';
import type { Store } from '../store/types';
import type { ClaimInput, DocumentInput } from '../claims/schemas';
import { parsePeriod } from '../formats';
import { checkQuote, locateQuote } from '../domain/quote';
import { conversionTo, findUnit, normalizeUnit, unstorableValue } from '../domain/units';
import type { FieldError } from '../schemas';

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
export async function createDocument(store: Store, input: DocumentInput, now = new Date()) {
  return store.write([], async (db) => {
    const [exists] = await db.query<{ id: number }>(
      'SELECT id FROM "Source" WHERE title = ? AND publisher = ?',
      [input.title, input.publisher],
    );
    if (exists)
      refuse(
        409,
        'title',
        `“${input.title}” by ${input.publisher} is already stored (source ${exists.id})`,
      );
    const sha = crypto.createHash('sha256').update(input.text, 'utf8').digest('hex');
    const id = await db.insert(
      `INSERT INTO "Source" (title, publisher, url, citation, "publishedOn", "publishedPrecision", license, "accessedOn", "usageNote", "contentSha256", text, "createdAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
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
        now,
      ],
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
export async function createClaim(
  store: Store,
  input: ClaimInput,
  now = new Date(),
): Promise<CreatedClaim> {
  return store.write([input.indicator], async (db) => {
    const [source] = await db.query<{
      id: number;
      title: string;
      publisher: string;
      publishedOn: string | null;
      text: string | null;
    }>('SELECT id, title, publisher, "publishedOn", text FROM "Source" WHERE id = ?', [
      input.source,
    ]);
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

    const [indicator] = await db.query<{
      id: number;
      slug: string;
      unitLong: string;
      unitShort: string;
    }>('SELECT id, slug, "unitLong", "unitShort" FROM "Indicator" WHERE slug = ?', [
      input.indicator,
    ]);
    if (!indicator) return refuse(400, 'indicator', `there is no indicator “${input.indicator}”`);
    const unit = input.unit ?? indicator.unitLong;
    const conversion = conversionTo(unit, { long: indicator.unitLong, short: indicator.unitShort });
    if (!conversion.ok) return refuse(400, 'unit', conversion.reason);
    // The rule every import applies: finite and drawable in every unit of its dimension.
    const unstorable = unstorableValue(input.value, unit);
    if (unstorable) return refuse(400, 'value', unstorable);
    const sameUnit =
      conversion.factor === 1 ||
      [indicator.unitLong, indicator.unitShort].some(
        (u) => normalizeUnit(u) === normalizeUnit(unit),
      );
    const unitToStore = sameUnit ? null : (findUnit(unit)?.name ?? unit);

    const period = parsePeriod(input.period, 1000, 2200);
    if ('error' in period) return refuse(400, 'period', period.error);

    const [known] = await db.query<{ id: number }>('SELECT id FROM "Entity" WHERE code = ?', [
      input.entity,
    ]);
    let entityId = known?.id;
    if (entityId === undefined) {
      if (!input.entityName)
        return refuse(
          400,
          'entity',
          `unknown entity code “${input.entity}”: give entityName to create it`,
        );
      entityId = await db.insert('INSERT INTO "Entity" (code, name) VALUES (?, ?)', [
        input.entity,
        input.entityName,
      ]);
    }

    const [storedQuote] = await db.query<{ id: number }>(
      'SELECT id FROM "Quote" WHERE "sourceId" = ? AND "startOffset" = ? AND "endOffset" = ?',
      [source.id, quote.startOffset, quote.endOffset],
    );
    const quoteId =
      storedQuote?.id ??
      (await db.insert(
        'INSERT INTO "Quote" ("sourceId", text, "startOffset", "endOffset", "citedOutlet", speaker, attribution) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
          source.id,
          quote.text,
          quote.startOffset,
          quote.endOffset,
          input.citedOutlet ?? null,
          input.speaker ?? null,
          input.attribution ?? null,
        ],
      ));

    const year = source.publishedOn?.slice(0, 4) ?? 'n.d.';
    const who = input.speaker ?? input.attribution;
    const label = input.label ?? `${source.publisher} ${year}${who ? `: ${who}` : ''}`;
    const [series] = await db.query<{ id: number; unit: string | null }>(
      'SELECT id, unit FROM "Series" WHERE "indicatorId" = ? AND "entityId" = ? AND kind = ? AND "sourceId" = ? AND label = ?',
      [indicator.id, entityId, input.kind, source.id, label],
    );
    if (series && (series.unit ?? null) !== unitToStore)
      return refuse(
        409,
        'unit',
        `the series “${label}” records values in ${series.unit ?? indicator.unitLong}: state this claim in that unit or give it another label`,
      );
    const seriesId =
      series?.id ??
      (await db.insert(
        'INSERT INTO "Series" ("indicatorId", "entityId", kind, label, unit, "sourceId", "recordedAt") VALUES (?, ?, ?, ?, ?, ?, ?)',
        [indicator.id, entityId, input.kind, label, unitToStore, source.id, now],
      ));

    const [current] = await db.query<{ id: number; value: number; quoteId: number | null }>(
      'SELECT id, value, "quoteId" FROM "Observation" WHERE "seriesId" = ? AND period = ? AND "supersededAt" IS NULL',
      [seriesId, period.period],
    );
    const result = {
      seriesId,
      quoteId,
      startOffset: quote.startOffset,
      endOffset: quote.endOffset,
      indicator: indicator.slug,
    };
    if (current) {
      if (current.value === input.value && current.quoteId === quoteId)
        return { ...result, created: false, observationId: current.id };
      return refuse(
        409,
        'label',
        `the series “${label}” already has a claim for ${period.period} (${current.value}): give this one another label`,
      );
    }
    const observationId = await db.insert(
      'INSERT INTO "Observation" ("seriesId", period, precision, value, note, "quoteId", revision, "recordedAt") VALUES (?, ?, ?, ?, ?, ?, 1, ?)',
      [seriesId, period.period, period.precision, input.value, input.note ?? null, quoteId, now],
    );
    return { ...result, created: true, observationId };
  });
}
