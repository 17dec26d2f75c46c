import type { RecipeOption } from '@/lib/import/recipe-options';

/** Where the values come from: every series carries its source. */
export function ProvenanceFields({
  suggestedSource,
  lastUpdated,
  defaults,
}: {
  /** A saved recipe's source, as the fields' first values. */
  defaults?: RecipeOption['source'];
  /** What the file says its source is (UNdata's Source column). */
  suggestedSource?: string | null;
  /** When the file says its data were last updated (DataBank's footer). */
  lastUpdated?: string | null;
}) {
  return (
    <fieldset>
      <legend>Provenance</legend>
      {suggestedSource && (
        <p className="hint" data-testid="suggested-source">
          The file names its source: “{suggestedSource}”
        </p>
      )}
      {lastUpdated && (
        <p className="hint" data-testid="last-updated">
          The file says its data were last updated {lastUpdated}.
        </p>
      )}
      <div className="field-grid">
        <label className="field">
          Source title
          <input
            name="sourceTitle"
            required
            placeholder="World Development Indicators"
            defaultValue={defaults?.title}
          />
        </label>
        <label className="field">
          Producer or publisher
          <input
            name="sourceProducer"
            required
            placeholder="World Bank"
            defaultValue={defaults?.producer}
          />
        </label>
        <label className="field">
          URL
          <input
            name="sourceUrl"
            type="url"
            defaultValue={defaults?.url ?? undefined}
            placeholder="https://data.worldbank.org/indicator/EN.POP.DNST"
          />
        </label>
        <label className="field">
          Full citation (if no URL)
          <input name="sourceCitation" defaultValue={defaults?.citation ?? undefined} />
        </label>
        <label className="field">
          Published (optional)
          <input name="sourcePublished" placeholder="2024-06-28" />
        </label>
        <label className="field">
          Accessed (optional)
          <input name="sourceAccessed" placeholder="2026-11-27" />
        </label>
        <label className="field">
          License (optional)
          <input
            name="sourceLicense"
            placeholder="CC BY 4.0"
            defaultValue={defaults?.license ?? undefined}
          />
        </label>
        <label className="field">
          Note (optional)
          <input name="sourceNote" />
        </label>
      </div>
    </fieldset>
  );
}
