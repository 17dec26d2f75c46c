// The request shapes of documents, claims and derivations, defined once for the API
// routes, the server actions and the forms.
import { z } from 'zod';
import { FORMULAS, FORMULA_INFO } from '../domain/derive';
import {
  entityCodeSchema,
  isoDateText,
  optionalText,
  slugSchema,
  storableText,
  text,
} from '../schemas';

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());
const isoDate = isoDateText();
const finite = z.number({ error: 'must be a number' }).finite('must be a finite number');

export const MAX_DOCUMENT_CHARS = 200_000;
/** The most text `POST /api/extract` reads (characters). */
export const MAX_EXTRACT_CHARS = 1_000_000;

/** A document that claims are quoted from: its text, or the excerpt that matters. */
export const documentInputSchema = z.object({
  title: text(300),
  publisher: text(200),
  publishedAt: isoDate,
  url: optionalUrl,
  license: optionalText(200),
  citation: optionalText(2000),
  accessedAt: isoDate.optional().or(z.literal('').transform(() => undefined)),
  note: optionalText(2000),
  // Line breaks as a browser form sends them (CRLF) are stored as LF: offsets count code points of the stored text.
  text: storableText()
    .transform((v) => v.replace(/\r\n?/g, '\n'))
    .pipe(
      z
        .string()
        .refine((v) => v.trim().length > 0, 'is required: paste the text or the relevant excerpt')
        .refine(
          (v) => v.length <= MAX_DOCUMENT_CHARS,
          `is longer than ${MAX_DOCUMENT_CHARS.toLocaleString('en-US')} characters: paste the relevant excerpt`,
        ),
    ),
});
export type DocumentInput = z.infer<typeof documentInputSchema>;

/** A figure quoted from a stored document, as a projection or a reported value. */
export const claimInputSchema = z.object({
  source: z.coerce.number({ error: 'must be a source id' }).int().positive(),
  quote: z.object({
    text: text(5000),
    /** Code points into the stored text; needed only when the quote occurs more than once. */
    startOffset: z.coerce.number().int().min(0).optional(),
  }),
  speaker: optionalText(300),
  citedOutlet: optionalText(300),
  attribution: optionalText(300),
  indicator: slugSchema,
  entity: entityCodeSchema,
  /** Creates the entity when its code is not known yet. */
  entityName: optionalText(200),
  kind: z.enum(['projection', 'reported']),
  period: text(10),
  value: finite,
  /** The unit the figure is stated in; the indicator's when omitted. */
  unit: optionalText(100),
  label: optionalText(200),
  note: optionalText(1000),
});
export type ClaimInput = z.infer<typeof claimInputSchema>;

const operandSchema = z.object({ indicator: slugSchema, entity: entityCodeSchema });

/** A derivation: a formula over one or two operand series, for a claim or on its own. */
export const derivationInputSchema = z
  .object({
    slug: slugSchema.optional(),
    title: text(200),
    formula: z.enum(FORMULAS, {
      error: `must be one of ${FORMULAS.map((f) => `${f} (${FORMULA_INFO[f].expression})`).join(', ')}`,
    }),
    a: operandSchema,
    b: operandSchema.optional(),
    /** The claims it computes outcomes for: an indicator and entity. */
    target: operandSchema.optional(),
    /** For a comparison in its own right: the quote whose figures it compares. */
    quote: z.coerce.number().int().positive().optional(),
    proxy: z.boolean().default(false),
    note: optionalText(1000),
  })
  .superRefine((d, ctx) => {
    const two = FORMULA_INFO[d.formula].operands === 2;
    if (two && !d.b)
      ctx.addIssue({
        code: 'custom',
        path: ['b'],
        message: `is required: ${d.formula} is ${FORMULA_INFO[d.formula].expression}`,
      });
    if (!two && d.b)
      ctx.addIssue({
        code: 'custom',
        path: ['b'],
        message: `must be left out: ${d.formula} takes one operand`,
      });
    if (!d.target && d.quote === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: 'give the claim it serves (indicator and entity), or the quote it compares',
      });
  });
export type DerivationInput = z.infer<typeof derivationInputSchema>;

/** `POST /api/extract`: a text (with the date it was written, for "every year") or a stored document. */
export const extractInputSchema = z
  .object({
    text: z
      .string()
      .transform((v) => v.replace(/\r\n?/g, '\n'))
      .pipe(
        z
          .string()
          .refine((v) => v.trim().length > 0, 'is empty: give the text to read')
          .refine(
            (v) => v.length <= MAX_EXTRACT_CHARS,
            `is longer than ${MAX_EXTRACT_CHARS.toLocaleString('en-US')} characters: send it in parts`,
          ),
      )
      .optional(),
    documentDate: isoDate.optional(),
    documentId: z.number({ error: 'must be a source id' }).int().positive().optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.text === undefined) === (d.documentId === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [d.text === undefined ? 'text' : 'documentId'],
        message: 'give either the text or the id of a stored document (documentId), not both',
      });
  });
export type ExtractInput = z.infer<typeof extractInputSchema>;
