// The request shapes every write accepts, defined once: the browser form, the
// server actions, the JSON API and the command-line import all parse with these.
import { z } from 'zod';
// The light modules only: forms import these schemas, and the parsers stay on the server.
import { FORMAT_LABELS } from './formats/detect';
import { DELIMITERS, ENCODINGS, type ColumnMapping, type Delimiter } from './formats/mapping';
import type { FileFormat } from './formats/types';
import { isRealDate, textProblem } from './domain/text';

/** Text both stores keep alike: no NUL, no lone surrogate (lib/domain/text.ts). */
export const storableText = () =>
  z.string().superRefine((v, ctx) => {
    const problem = textProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const text = (max: number) =>
  storableText().trim().min(1, 'is required').max(max, `is longer than ${max} characters`);
export const optionalText = (max: number) =>
  storableText()
    .trim()
    .max(max, `is longer than ${max} characters`)
    .transform((v) => (v ? v : undefined))
    .optional();

/** YYYY, YYYY-MM or YYYY-MM-DD, naming a real month and day. */
export const isoDateText = () =>
  z
    .string()
    .trim()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD')
    .refine(isRealDate, 'is not a date in the calendar (month 01–12, a day the month has)');

const isoDate = isoDateText()
  .optional()
  .or(z.literal('').transform(() => undefined));

export const entityCodeSchema = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code such as CHN'));

export const slugSchema = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'must be lower-case words joined by hyphens, e.g. oil-import-share',
  )
  .max(80);

export const writableKindSchema = z.enum(['observed', 'projection', 'reported']);

export const sourceInputSchema = z
  .object({
    title: text(300),
    producer: text(200),
    url: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
    citation: optionalText(2000),
    publishedAt: isoDate,
    accessedAt: isoDate,
    license: optionalText(200),
    note: optionalText(2000),
  })
  .refine((s) => s.url || s.citation, { message: 'give a URL or a full citation', path: ['url'] });
export type SourceInput = z.infer<typeof sourceInputSchema>;

export const newIndicatorSchema = z.object({
  slug: slugSchema,
  title: text(200),
  unitLong: text(100),
  unitShort: text(40),
  description: optionalText(1000),
  decimals: z.coerce.number().int().min(0).max(10).default(0),
});
export type NewIndicatorInput = z.infer<typeof newIndicatorSchema>;

/** An existing indicator by slug, or a new one. */
export const indicatorRefSchema = z.union([slugSchema, newIndicatorSchema]);

const formats = Object.keys(FORMAT_LABELS) as [FileFormat, ...FileFormat[]];

/** A column by its header text or `#N`; "" un-maps a role the detection gave. */
const columnRef = z.string().trim().max(300, 'is longer than 300 characters');
const columnRefs = z.array(columnRef.min(1, 'is empty')).min(1).max(500);

/**
 * How to read a file's columns, as the Add data page's mapping step sets it and the import report
 * shows it (`file.mapping`): send it back as `meta.mapping` to read the same file the same way.
 */
export const columnMappingSchema = z
  .object({
    sheet: z.string().trim().min(1).max(100).optional(),
    headerRow: z.coerce.number().int().min(1).max(1_000_000).optional(),
    encoding: z.enum(ENCODINGS).optional(),
    delimiter: z.enum(DELIMITERS as [Delimiter, ...Delimiter[]]).optional(),
    decimal: z.enum(['.', ',']).optional(),
    shape: z.enum(['long', 'wide']).optional(),
    entity: columnRef.optional(),
    code: columnRef.optional(),
    period: columnRef.optional(),
    values: columnRefs.optional(),
    seriesColumn: columnRef.optional(),
    series: z.array(z.string().trim().min(1, 'is empty').max(300)).min(1).max(500).optional(),
    unit: columnRef.optional(),
    note: columnRef.optional(),
    low: columnRef.optional(),
    high: columnRef.optional(),
    names: z
      .record(z.string().trim().min(1).max(200), entityCodeSchema)
      .refine((r) => Object.keys(r).length <= 5000, 'maps more than 5,000 names')
      .optional(),
    month: columnRef.optional(),
    dates: z.enum(['dmy', 'mdy']).optional(),
    filters: z
      .array(
        z.object({
          column: columnRef.min(1, 'is empty'),
          values: z.array(z.string().trim().max(300)).min(1, 'choose at least one value').max(5000),
        }),
      )
      .max(20)
      .optional(),
    countriesOnly: z.boolean().optional(),
    projections: z
      .object({
        column: columnRef.min(1, 'is empty').optional(),
        values: z.array(z.string().trim().min(1, 'is empty').max(300)).min(1).max(500).optional(),
        after: z
          .string()
          .trim()
          .regex(/^\d{4}$/, 'must be a year, e.g. 2022: later periods are projections')
          .optional(),
      })
      .strict()
      .refine((p) => (p.column === undefined) === (p.values === undefined), {
        message: 'a projections column needs the values that mark projections, and values a column',
      })
      .refine((p) => p.column !== undefined || p.after !== undefined, {
        message: 'give a column and its values, or a year after which values are projections',
      })
      .optional(),
  })
  .strict() satisfies z.ZodType<ColumnMapping, unknown>;

export const importMetaSchema = z.object({
  indicator: indicatorRefSchema,
  kind: writableKindSchema,
  unit: text(100),
  /** Keep only these entities of a multi-entity file. */
  entities: z.array(entityCodeSchema).min(1).optional(),
  /** The entity of a file that names none (FRED, a national office's table). */
  entity: entityCodeSchema.optional(),
  /** The period of a file that names none (a cross-section "as of 2006"). */
  period: z.string().trim().min(1).max(40).optional(),
  label: optionalText(200),
  format: z.enum(formats).optional(),
  valueColumn: optionalText(200),
  /** How to read the file's columns (and its sheet, encoding, numbers), overriding detection. */
  mapping: columnMappingSchema.optional(),
  /** Confirms creating entities the database does not know yet. */
  createEntities: z.boolean().default(false),
  source: sourceInputSchema,
  /**
   * When an earlier vintage of this source (same publisher, a title differing only by year or
   * edition) has a series for the indicator and entity: `revise` (the default) adds to it, as
   * revisions where values changed; `separate` makes a series of this source's own.
   */
  vintage: z.enum(['revise', 'separate']).optional(),
  /** The saved recipe this meta was expanded from (lib/import/recipes.ts), by id or name. */
  recipe: z.union([z.number().int().positive(), text(100)]).optional(),
  /** After a committed import, save how the file was read as this source's recipe of this name. */
  saveRecipe: optionalText(100),
});
export type ImportMeta = z.infer<typeof importMetaSchema>;
export type ImportMetaInput = z.input<typeof importMetaSchema>;

const finite = z.number({ error: 'must be a number' }).finite('must be a finite number');

export const observationInputSchema = z.object({
  period: z.string().trim().min(1, 'is required'),
  value: finite,
  low: finite.optional(),
  high: finite.optional(),
  note: optionalText(1000),
});
export type ObservationInput = z.infer<typeof observationInputSchema>;

export const MAX_JSON_OBSERVATIONS = 100_000;

export const createSeriesSchema = z.object({
  indicator: indicatorRefSchema,
  entity: entityCodeSchema,
  entityName: optionalText(200),
  kind: writableKindSchema,
  label: optionalText(200),
  unit: text(100),
  createEntities: z.boolean().default(false),
  source: sourceInputSchema,
  observations: z
    .array(observationInputSchema)
    .min(1, 'needs at least one observation')
    .max(MAX_JSON_OBSERVATIONS),
});
export type CreateSeriesInput = z.infer<typeof createSeriesSchema>;

export const addObservationsSchema = z.object({
  observations: z
    .array(observationInputSchema)
    .min(1, 'needs at least one observation')
    .max(MAX_JSON_OBSERVATIONS),
});

export type FieldError = { path: string; message: string };

/** zod issues as `path: message` pairs, the API's per-field error format. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}
