import type { ColumnMapping, FileInfo } from '@/lib/formats/mapping';

/** What every part of the mapping step is given. */
export type StepProps = {
  file: FileInfo;
  /** What the user chose; the rest is as detected. */
  mapping: ColumnMapping;
  onChange: (mapping: ColumnMapping) => void;
};

export const ROLES = [
  ['entity', 'Entity column (name or code)'],
  ['code', 'ISO code column'],
  ['period', 'Period column'],
  ['month', 'Month column (beside a year column)'],
  ['seriesColumn', 'Series column (names the measure)'],
  ['unit', 'Unit column'],
  ['note', 'Note column'],
  ['low', 'Low column'],
  ['high', 'High column'],
] as const;

export type Role = (typeof ROLES)[number][0];
const ROLE_FIELDS: (keyof ColumnMapping)[] = [
  ...ROLES.map(([r]) => r),
  'shape',
  'values',
  'filters',
];

/** The detected roles, so that a change to one keeps the others and makes the mapping whole. */
export function detectedRoles(file: FileInfo): ColumnMapping {
  const out: ColumnMapping = {};
  for (const field of ROLE_FIELDS) {
    const v = file.mapping?.[field];
    if (v !== undefined) (out as Record<string, unknown>)[field] = v;
  }
  return out;
}

export function withoutRoles(mapping: ColumnMapping): ColumnMapping {
  const out = { ...mapping };
  for (const field of [...ROLE_FIELDS, 'series', 'headerRow'] as const) delete out[field];
  return out;
}

export const hasRoles = (m: ColumnMapping) => ROLE_FIELDS.some((f) => m[f] !== undefined);

/** The mapping as read: detected, then what the user chose. */
export const effectiveOf = (file: FileInfo, mapping: ColumnMapping): ColumnMapping => ({
  ...(file.mapping ?? {}),
  ...mapping,
});

/** A change to the columns' roles, keeping the detected ones the user did not touch. */
export const withRoles = (file: FileInfo, mapping: ColumnMapping, patch: ColumnMapping) => ({
  ...detectedRoles(file),
  ...mapping,
  ...patch,
});
