'use client';

import './mapping-step.css';
import { DELIMITER_LABELS } from '@/lib/formats/mapping';
import type { FileInfo } from '@/lib/formats/mapping';
import { ColumnRoles, SampleTable, ValueChoices } from './mapping-columns';
import { UnmatchedNames } from './mapping-names';
import { ReadingFields } from './mapping-reading';
import { RowFilters, WholeFile } from './mapping-rows';
import { ProjectionSplit } from './mapping-projections';
import { detectedRoles, effectiveOf, hasRoles, type StepProps } from './mapping-shared';

type Props = StepProps & { formatLabel: string | null };

/**
 * The column-mapping step: how the file was read (sheet, header row, encoding, delimiter, decimal
 * mark, date order), which column holds what, which rows to keep (filters, only countries), the
 * entity or period of a whole file, which value columns, measures or period columns to import
 * (one series each), and codes for names the country library did not match. Every change
 * previews again at once.
 */
export function MappingStep({ file, formatLabel, mapping, onChange }: Props) {
  const needs = new Set(file.needs);
  // Open while anything is asked, and while the user is mapping.
  const open = needs.size > 0 || !file.confident || hasRoles(mapping);
  const step = { file, mapping, onChange };
  return (
    <fieldset className="mapping" data-testid="mapping-step">
      <legend>Column mapping</legend>
      <p className="meta" data-testid="file-reading">
        {formatLabel ? <>Read as {formatLabel}: </> : null}
        {describeReading(file)}
      </p>
      <Needs {...step} />
      <ReadingFields {...step} open={open || needs.has('decimal') || needs.has('dates')} />
      {file.columns.length > 0 && (
        <details open={open}>
          <summary>Columns</summary>
          <ColumnRoles {...step} />
          <WholeFile {...step} />
          <ValueChoices {...step} />
          <RowFilters {...step} />
          <ProjectionSplit {...step} />
          <SampleTable file={file} />
        </details>
      )}
      {file.names.length > 0 && <UnmatchedNames {...step} />}
    </fieldset>
  );
}

/** What the file still asks, each in words the user can act on. */
function Needs({ file, mapping, onChange }: StepProps) {
  const needs = new Set(file.needs);
  const bySeries = !!effectiveOf(file, mapping).seriesColumn;
  const say = (key: string, text: React.ReactNode) => (
    <p className="needs" role="status" data-testid={`need-${key}`}>
      {text}
    </p>
  );
  return (
    <>
      {needs.has('columns') &&
        say(
          'columns',
          <>
            The layout was not recognised with confidence. Say which column holds what; the preview
            updates as you choose.{' '}
            {file.mapping && !hasRoles(mapping) && (
              <button
                type="button"
                className="button"
                onClick={() => onChange({ ...mapping, ...detectedRoles(file) })}
              >
                Use this mapping
              </button>
            )}
          </>,
        )}
      {needs.has('series') &&
        say(
          'series',
          `The file holds several ${bySeries ? 'measures' : 'value columns'}: tick the ones to import (each becomes its own series).`,
        )}
      {needs.has('measures') &&
        say(
          'measures',
          'The file holds several measures (the same country and period more than once): keep one with the filters under “Rows to keep”, or choose the column that names the measure as the series column.',
        )}
      {needs.has('periods') &&
        say(
          'periods',
          'Several header columns read as the same period: tick the ones that are periods.',
        )}
      {needs.has('dates') &&
        say(
          'dates',
          'Dates such as “01/02/2020” could be 1 February or 2 January: choose the date order.',
        )}
      {needs.has('decimal') &&
        say(
          'decimal',
          'Numbers such as “1,234” could mean 1234 or 1.234: choose the decimal mark.',
        )}
    </>
  );
}

/** "UTF-8 (detected), semicolon-separated, decimal comma, thousands "."; header on row 2." */
export function describeReading(file: FileInfo): string {
  const how: Record<FileInfo['encodingHow'], string> = {
    bom: 'byte-order mark',
    'utf-8': 'valid UTF-8',
    detected: 'detected',
    chosen: 'chosen',
    xlsx: 'workbook',
  };
  const parts = [
    file.sheet !== null ? `sheet “${file.sheet}”` : `${file.encoding} (${how[file.encodingHow]})`,
  ];
  if (file.delimiter) parts.push(`${DELIMITER_LABELS[file.delimiter]}-separated`);
  if (file.decimal) {
    parts.push(
      `decimal ${file.decimal === ',' ? 'comma' : 'point'}${file.thousands ? `, thousands “${file.thousands}”` : ''} (${file.decimalHow})`,
    );
  } else if (file.decimalHow === 'ambiguous') parts.push('decimal mark unclear');
  if (file.headerRow !== null) parts.push(`header on row ${file.headerRow}`);
  return `${parts.join(', ')}.`;
}
