'use client';

import type { ImportReport } from '@/lib/import/import-data';

/**
 * When the file's source is a newer vintage of a stored one (same publisher, a title differing
 * by year or edition), its values are added to the earlier vintage's series by default, as
 * revisions where they changed; this is where the user keeps them apart instead.
 */
export function VintageChoice({ report }: { report: ImportReport | null }) {
  const matched = report?.entities.filter((e) => e.vintage) ?? [];
  const first = matched[0]?.vintage;
  if (!first) return null;
  const series = matched.map((e) => `“${e.vintage!.label}”`).join(', ');
  return (
    <fieldset data-testid="vintage-choice">
      <legend>An earlier vintage of this source</legend>
      <p className="hint">
        “{first.sourceTitle}” already has the series {series} for this indicator.
      </p>
      <div className="field-row" role="radiogroup" aria-label="Earlier vintage">
        <label>
          <input type="radio" name="vintage" value="revise" defaultChecked={first.added} />
          Add to the existing series (revisions where values changed)
        </label>
        <label>
          <input type="radio" name="vintage" value="separate" defaultChecked={!first.added} />
          Keep as a separate series
        </label>
      </div>
    </fieldset>
  );
}
