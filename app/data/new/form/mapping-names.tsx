'use client';

import type { StepProps } from './mapping-shared';

/** Codes for names the country library did not match for sure. */
export function UnmatchedNames({ file, mapping, onChange }: StepProps) {
  const setName = (name: string, code: string) =>
    onChange({ ...mapping, names: { ...(mapping.names ?? {}), [name]: code } });
  return (
    <div className="names" data-testid="unmatched-names">
      <p className="needs">
        {file.names.length} {file.names.length === 1 ? 'name matches' : 'names match'} no country
        for sure. Give each an ISO 3166 alpha-3 code (new codes can be created), leave it to an
        entity already stored under that name, or keep only the file’s countries.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Name in the file</th>
            <th scope="col">First row</th>
            <th scope="col">Code</th>
          </tr>
        </thead>
        <tbody>
          {file.names.map((n) => (
            <tr key={n.name}>
              <td>{n.name}</td>
              <td>{n.row}</td>
              <td>
                <input
                  aria-label={`Code for ${n.name}`}
                  list="entity-codes"
                  maxLength={3}
                  defaultValue={mapping.names?.[n.name] ?? ''}
                  onBlur={(e) => {
                    const code = e.currentTarget.value.trim().toUpperCase();
                    if (/^[A-Z]{3}$/.test(code)) setName(n.name, code);
                  }}
                />
                {n.candidates.length > 0 && (
                  <span className="hint">
                    {' '}
                    could be{' '}
                    {n.candidates.map((c) => (
                      <button
                        key={c}
                        type="button"
                        className="link-button"
                        onClick={() => setName(n.name, c)}
                      >
                        {c}
                      </button>
                    ))}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
