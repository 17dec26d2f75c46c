// Reads the "Add data" form (FormData from the browser) into the write path's
// request: the same zod schemas as the API, and grid rows checked like file rows.
import { parseNumber, type ParsedValue, type ParseProblem } from '../formats';
import { fieldErrors, importMetaSchema, type FieldError, type ImportMeta } from '../schemas';
import type { ImportValues } from './import-data';
import { importsFromFile, maxUploadBytes, type FileImport } from './sources';

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

const str = (form: FormData, name: string) => {
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

export async function readDataForm(form: FormData): Promise<DataFormRead> {
  const newIndicator = str(form, 'indicatorMode') === 'new';
  const entities = (str(form, 'entities') ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const extras = recipeExtras(str(form, 'recipeMeta'));
  const candidate = {
    indicator: newIndicator
      ? {
          slug: str(form, 'newSlug') ?? '',
          title: str(form, 'newTitle') ?? '',
          unitLong: str(form, 'newUnitLong') ?? '',
          unitShort: str(form, 'newUnitShort') ?? '',
          decimals: str(form, 'newDecimals') || 0,
        }
      : (str(form, 'indicator') ?? ''),
    kind: str(form, 'kind'),
    unit: str(form, 'unit') ?? '',
    entities: entities.length ? entities : undefined,
    entity: str(form, 'entity') || str(form, 'fileEntity') || undefined,
    period: str(form, 'filePeriod') || extras.period,
    label: str(form, 'label'),
    format: str(form, 'format') || extras.format,
    valueColumn: extras.valueColumn,
    vintage: str(form, 'vintage') || undefined,
    saveRecipe: str(form, 'mode') === 'file' ? str(form, 'saveRecipe') : undefined,
    mapping: str(form, 'mode') === 'file' ? readMapping(str(form, 'mapping')) : undefined,
    createEntities: form.get('createEntities') === 'on',
    source: {
      title: str(form, 'sourceTitle') ?? '',
      producer: str(form, 'sourceProducer') ?? '',
      url: str(form, 'sourceUrl'),
      citation: str(form, 'sourceCitation'),
      publishedAt: str(form, 'sourcePublished'),
      accessedAt: str(form, 'sourceAccessed'),
      license: str(form, 'sourceLicense'),
      note: str(form, 'sourceNote'),
    },
  };
  const meta = importMetaSchema.safeParse(candidate);
  if (!meta.success) return { ok: false, errors: fieldErrors(meta.error) };

  if (str(form, 'mode') === 'file') {
    const file = form.get('file');
    if (!(file instanceof Blob) || file.size === 0) {
      return { ok: false, errors: [{ path: 'file', message: 'choose a file (CSV or Excel)' }] };
    }
    if (file.size > maxUploadBytes()) {
      return {
        ok: false,
        errors: [
          {
            path: 'file',
            message: `is larger than the limit of ${maxUploadBytes() / 1024 / 1024} MB`,
          },
        ],
      };
    }
    const imports = importsFromFile(new Uint8Array(await file.arrayBuffer()), meta.data);
    return { ok: true, meta: meta.data, imports, values: imports.items[0]!.input };
  }

  // The grid: one row per period, numbered as the user sees them.
  if (!meta.data.entity)
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
      entityCode: meta.data.entity ?? null,
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
    meta: meta.data,
    imports: { items: [{ meta: meta.data, input }] },
    values: input,
  };
}
