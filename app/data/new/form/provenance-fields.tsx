/** Where the values come from: every series carries its source. */
export function ProvenanceFields({
  suggestedSource,
  lastUpdated,
}: {
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
          <input name="sourceTitle" required placeholder="World Development Indicators" />
        </label>
        <label className="field">
          Producer or publisher
          <input name="sourceProducer" required placeholder="World Bank" />
        </label>
        <label className="field">
          URL
          <input
            name="sourceUrl"
            type="url"
            placeholder="https://data.worldbank.org/indicator/EN.POP.DNST"
          />
        </label>
        <label className="field">
          Full citation (if no URL)
          <input name="sourceCitation" />
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
          <input name="sourceLicense" placeholder="CC BY 4.0" />
        </label>
        <label className="field">
          Note (optional)
          <input name="sourceNote" />
        </label>
      </div>
    </fieldset>
  );
}
