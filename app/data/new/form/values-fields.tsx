'use client';

import { useState } from 'react';
import type { ImportReport } from '@/lib/import/import-data';

type Props = {
  formats: { value: string; label: string }[];
  maxUploadMb: number;
  report: ImportReport | null;
  /** A new file was chosen: the mapping made for the previous one no longer applies. */
  onFileChange: () => void;
};

export const FILE_ACCEPT =
  '.csv,.tsv,.txt,.xlsx,text/csv,text/plain,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The values: a file (CSV in any delimiter and encoding, or an Excel workbook), or typed rows. */
export function ValuesFields({ formats, maxUploadMb, report, onFileChange }: Props) {
  const [mode, setMode] = useState<'file' | 'grid'>('file');
  const [rows, setRows] = useState(5);
  const detected = report?.detected ? formats.find((f) => f.value === report.detected) : null;
  return (
    <fieldset>
      <legend>Values</legend>
      <div className="field-row" role="radiogroup" aria-label="How to give the values">
        <label>
          <input
            type="radio"
            name="mode"
            value="file"
            checked={mode === 'file'}
            onChange={() => setMode('file')}
          />
          Upload a file
        </label>
        <label>
          <input
            type="radio"
            name="mode"
            value="grid"
            checked={mode === 'grid'}
            onChange={() => setMode('grid')}
          />
          Type them in
        </label>
      </div>
      {mode === 'file' ? (
        <div className="field-grid">
          <label className="field">
            CSV file or Excel workbook
            <input name="file" type="file" accept={FILE_ACCEPT} onChange={onFileChange} />
            <span className="hint">
              Up to {maxUploadMb} MB: CSV with commas, semicolons or tabs in any common encoding, or
              .xlsx.
            </span>
          </label>
          <label className="field">
            Format
            <select name="format" defaultValue="">
              <option value="">
                Detect automatically{detected ? ` (detected: ${detected.label})` : ''}
              </option>
              {formats.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Period</th>
                <th scope="col">Value</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: rows }, (_, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>
                    <input
                      name="gridPeriod"
                      aria-label={`Row ${i + 1} period`}
                      placeholder="2023"
                    />
                  </td>
                  <td>
                    <input name="gridValue" aria-label={`Row ${i + 1} value`} inputMode="decimal" />
                  </td>
                  <td>
                    <input name="gridNote" aria-label={`Row ${i + 1} note`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="button" onClick={() => setRows((n) => n + 5)}>
            Add rows
          </button>
        </>
      )}
      {report && report.unknownEntities.length > 0 && (
        <label className="confirm">
          <input type="checkbox" name="createEntities" />
          Create {report.unknownEntities.length} new entit
          {report.unknownEntities.length === 1 ? 'y' : 'ies'}:{' '}
          {report.unknownEntities
            .slice(0, 10)
            .map((e) => `${e.code} (${e.name})`)
            .join(', ')}
          {report.unknownEntities.length > 10 ? ', …' : ''}
        </label>
      )}
    </fieldset>
  );
}
