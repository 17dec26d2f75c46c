'use client';

import { DELIMITER_LABELS, DELIMITERS, ENCODINGS } from '@/lib/formats/mapping';
import type { ColumnMapping } from '@/lib/formats/mapping';
import { withoutRoles, type StepProps } from './mapping-shared';

/** How the file is read: sheet, header row, encoding, delimiter, decimal mark, date order. */
export function ReadingFields({ file, mapping, onChange, open }: StepProps & { open: boolean }) {
  const setReading = (patch: ColumnMapping) => onChange({ ...mapping, ...patch });
  return (
    <details open={open}>
      <summary>Reading the file</summary>
      <div className="field-grid">
        {file.sheets.length > 0 && (
          <label className="field">
            Sheet
            <select
              value={mapping.sheet ?? file.sheet ?? ''}
              onChange={(e) => onChange({ ...withoutRoles(mapping), sheet: e.currentTarget.value })}
            >
              {file.sheets.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          Header row
          <input
            type="number"
            min={1}
            value={mapping.headerRow ?? file.headerRow ?? 1}
            onChange={(e) => {
              const row = Number(e.currentTarget.value);
              if (Number.isInteger(row) && row > 0)
                onChange({ ...withoutRoles(mapping), headerRow: row });
            }}
          />
          <span className="hint">Rows above it (titles, units) are skipped.</span>
        </label>
        {file.delimiter !== null && (
          <>
            <label className="field">
              Encoding
              <select
                value={mapping.encoding ?? ''}
                onChange={(e) =>
                  setReading({
                    encoding: (e.currentTarget.value || undefined) as ColumnMapping['encoding'],
                  })
                }
              >
                <option value="">Detect ({file.encoding})</option>
                {ENCODINGS.map((enc) => (
                  <option key={enc}>{enc}</option>
                ))}
              </select>
            </label>
            <label className="field">
              Delimiter
              <select
                value={mapping.delimiter ?? ''}
                onChange={(e) =>
                  setReading({
                    delimiter: (e.currentTarget.value || undefined) as ColumnMapping['delimiter'],
                  })
                }
              >
                <option value="">Detect ({DELIMITER_LABELS[file.delimiter]})</option>
                {DELIMITERS.map((d) => (
                  <option key={d} value={d}>
                    {DELIMITER_LABELS[d]}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label className="field">
          Decimal mark
          <select
            value={mapping.decimal ?? ''}
            onChange={(e) =>
              setReading({
                decimal: (e.currentTarget.value || undefined) as ColumnMapping['decimal'],
              })
            }
          >
            <option value="">
              {file.decimalHow === 'ambiguous'
                ? 'Choose…'
                : `Detect (${file.decimal === ',' ? 'comma' : 'point'})`}
            </option>
            <option value=".">Point: 1,234.5</option>
            <option value=",">Comma: 1.234,5</option>
          </select>
        </label>
        <label className="field">
          Dates such as 01/02/2020
          <select
            data-testid="date-order"
            value={mapping.dates ?? ''}
            onChange={(e) =>
              setReading({ dates: (e.currentTarget.value || undefined) as ColumnMapping['dates'] })
            }
          >
            <option value="">
              {file.dateOrderHow === 'ambiguous' || file.needs.includes('dates')
                ? 'Choose…'
                : file.dateOrder
                  ? `Detect (${file.dateOrder === 'dmy' ? 'day first' : 'month first'})`
                  : 'Detect'}
            </option>
            <option value="dmy">Day first: 22/01/2020</option>
            <option value="mdy">Month first: 1/22/2020</option>
          </select>
        </label>
      </div>
    </details>
  );
}
