// Reads the "Add data" form into the write path's request: the same zod schemas as the API,
// and grid rows checked like file rows. `dataFormMeta` is pure, and shared: the server action
// reads the typed values' form with it, the write worker the fields of a streamed file's form
// (lib/write/upload.ts).
import { parseNumber, type ParsedValue, type ParseProblem } from '../formats';
import { fieldErrors, importMetaSchema, type FieldError, type ImportMeta } from '../schemas';
import type { ImportValues } from './import-data';
import { maxUploadBytes, type FileImport } from './sources';

export type DataFormRead =
  | {
      ok: true;
      meta: ImportMeta;
      /** What to import: one item per series the file is read as (typed values: one). */
      imports: FileImport;
      /** The first item's values. */
      values: ImportValues;
    }
  | { ok: false; errors: FieldError[] };

/** The mapping step's choices, sent as JSON in one field; {} is no mapping. */
function readMapping(raw: string | undefined): unknown {
  if (!raw || raw.trim() === '' || raw.trim() === '{}') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return { invalid: true };
  }
}

/** A form's text fields by name: the browser's FormData, or the fields a streamed upload read. */
export type FormFields = (name: string) => string | undefined;

const fieldsOf =
  (form: FormData): FormFields =>
  (name) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : undefined;
  };

/** A chosen recipe's answers the form has no field for (its format, value column and period). */
function recipeExtras(raw: string | undefined): Record<string, string | undefined> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    const pick = (k: string) => (typeof parsed[k] === 'string' ? (parsed[k] as string) : undefined);
    return { format: pick('format'), valueColumn: pick('valueColumn'), period: pick('period') };
  } catch {
    return {};
  }
}

export type DataFormMeta = { ok: true; meta: ImportMeta } | { ok: false; errors: FieldError[] };

/**
 * The form's fields as the import's meta, checked by the API's schema. Pure: the server
 * action reads it from FormData, the write worker from a streamed upload's fields.
 */
export function dataFormMeta(str: FormFields): DataFormMeta {
  const newIndicator = str('indicatorMode') === 'new';
  const entities = (str('entities') ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const extras = recipeExtras(str('recipeMeta'));
  const candidate = {
    indicator: newIndicator
      ? {
          slug: str('newSlug') ?? '',
          title: str('newTitle') ?? '',
          unitLong: str('newUnitLong') ?? '',
          unitShort: str('newUnitShort') ?? '',
          decimals: str('newDecimals') || 0,
        }
      : (str('indicator') ?? ''),
    kind: str('kind'),
    unit: str('unit') ?? '',
    entities: entities.length ? entities : undefined,
    entity: str('entity') || str('fileEntity') || undefined,
    period: str('filePeriod') || extras.period,
    label: str('label'),
    format: str('format') || extras.format,
    valueColumn: extras.valueColumn,
    vintage: str('vintage') || undefined,
    saveRecipe: str('mode') === 'file' ? str('saveRecipe') : undefined,
    mapping: str('mode') === 'file' ? readMapping(str('mapping')) : undefined,
    createEntities: str('createEntities') === 'on',
    source: {
      title: str('sourceTitle') ?? '',
      producer: str('sourceProducer') ?? '',
      url: str('sourceUrl'),
      citation: str('sourceCitation'),
      publishedAt: str('sourcePublished'),
      accessedAt: str('sourceAccessed'),
      license: str('sourceLicense'),
      note: str('sourceNote'),
    },
  };
  const meta = importMetaSchema.safeParse(candidate);
  if (!meta.success) return { ok: false, errors: fieldErrors(meta.error) };
  return { ok: true, meta: meta.data };
}

/** Why a file field cannot be imported (none chosen, or over the limit), or null. */
export function fileFieldError(size: number | null): FieldError | null {
  if (size === null || size === 0) return { path: 'file', message: 'choose a file (CSV or Excel)' };
  if (size > maxUploadBytes())
    return {
      path: 'file',
      message: `is larger than the limit of ${maxUploadBytes() / 1024 / 1024} MB`,
    };
  return null;
}

/** A file sent without the page's script (which streams it, with the mapping step's answers). */
export const FILE_NEEDS_SCRIPT: FieldError = {
  path: 'file',
  message:
    'is sent by the page’s script, which is off in this browser: turn JavaScript on, or send the file to POST /api/imports',
};

/**
 * The form as the server action reads it: the typed values. A file is streamed to the write
 * worker by the page's script (app/api/imports/form), never read here; one that arrives here
 * came from a browser without JavaScript, and is refused before it is read.
 */
export function readDataForm(form: FormData): DataFormRead {
  const str = fieldsOf(form);
  const read = dataFormMeta(str);
  if (!read.ok) return read;
  const { meta } = read;
  if (str('mode') === 'file') {
    const file = form.get('file');
    const size = file instanceof Blob ? file.size : null;
    return { ok: false, errors: [fileFieldError(size) ?? FILE_NEEDS_SCRIPT] };
  }

  // The grid: one row per period, numbered as the user sees them.
  if (!meta.entity)
    return { ok: false, errors: [{ path: 'entity', message: 'is required for typed values' }] };
  const periods = form.getAll('gridPeriod').map(String);
  const rawValues = form.getAll('gridValue').map(String);
  const notes = form.getAll('gridNote').map(String);
  const values: ParsedValue[] = [];
  const problems: ParseProblem[] = [];
  periods.forEach((period, i) => {
    const raw = rawValues[i] ?? '';
    if (!period.trim() && !raw.trim()) return;
    const n = parseNumber(raw);
    if (n === null || typeof n !== 'number') {
      problems.push({
        row: i + 1,
        column: 'value',
        reason: n === null ? 'a value is required' : n.error,
        severity: 'error',
      });
      return;
    }
    values.push({
      row: i + 1,
      column: 'value',
      entityCode: meta.entity ?? null,
      entityName: null,
      isAggregate: false,
      period: period.trim(),
      precision: 'year',
      value: n,
      note: notes[i]?.trim() || undefined,
    });
  });
  if (problems.length) {
    return {
      ok: false,
      errors: problems.map((p) => ({ path: `row ${p.row}.${p.column}`, message: p.reason })),
    };
  }
  const input: ImportValues = { values };
  return {
    ok: true,
    meta,
    imports: { items: [{ meta, input }] },
    values: input,
  };
}
