'use client';

import { useState } from 'react';
import type { Recipe } from '@/lib/import/recipes';

export type IndicatorOption = {
  slug: string;
  title: string;
  unitLong: string;
  unitShort: string;
  decimals: number;
};

type Props = {
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
  preselected?: string;
  /** A saved recipe's answers, as the fields' first values (the form remounts on a new one). */
  recipe?: Recipe;
};

/** What the values are added to: the indicator (existing or new), entities, unit, label, kind. */
export function IndicatorFields({ indicators, entities, preselected, recipe }: Props) {
  const [mode, setMode] = useState<'existing' | 'new'>(indicators.length ? 'existing' : 'new');
  const fromRecipe = typeof recipe?.indicator === 'string' ? recipe.indicator : undefined;
  const first = fromRecipe ?? preselected ?? indicators[0]?.slug ?? '';
  const [slug, setSlug] = useState(first);
  const [unit, setUnit] = useState(
    recipe?.unit ?? indicators.find((i) => i.slug === first)?.unitShort ?? '',
  );
  const indicator = mode === 'existing' ? indicators.find((i) => i.slug === slug) : undefined;

  return (
    <fieldset>
      <legend>What to add to</legend>
      <div className="field-row" role="radiogroup" aria-label="Indicator">
        <label>
          <input
            type="radio"
            name="indicatorMode"
            value="existing"
            checked={mode === 'existing'}
            onChange={() => setMode('existing')}
          />
          An existing indicator
        </label>
        <label>
          <input
            type="radio"
            name="indicatorMode"
            value="new"
            checked={mode === 'new'}
            onChange={() => setMode('new')}
          />
          A new indicator
        </label>
      </div>
      {mode === 'existing' ? (
        <label className="field">
          Indicator
          <select
            name="indicator"
            value={slug}
            onChange={(e) => {
              setSlug(e.currentTarget.value);
              setUnit(indicators.find((i) => i.slug === e.currentTarget.value)?.unitShort ?? '');
            }}
          >
            {indicators.map((i) => (
              <option key={i.slug} value={i.slug}>
                {i.title} ({i.unitLong})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <div className="field-grid">
          <label className="field">
            Slug
            <input
              name="newSlug"
              required
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              placeholder="oil-production"
            />
          </label>
          <label className="field">
            Title
            <input name="newTitle" required />
          </label>
          <label className="field">
            Unit (long)
            <input name="newUnitLong" required placeholder="million tonnes per year" />
          </label>
          <label className="field">
            Unit (short)
            <input name="newUnitShort" required placeholder="Mt/yr" />
          </label>
          <label className="field">
            Decimals
            <input name="newDecimals" type="number" min={0} max={10} defaultValue={0} />
          </label>
        </div>
      )}
      <div className="field-grid">
        <label className="field">
          Entity (ISO 3166 alpha-3)
          <input
            name="entity"
            list="entity-codes"
            placeholder="CHN"
            defaultValue={recipe?.entity}
            maxLength={3}
            autoCapitalize="characters"
          />
          <span className="hint">For typed values and files without an entity column (FRED).</span>
        </label>
        <label className="field">
          Only these entities
          <input
            name="entities"
            list="entity-codes"
            placeholder="CHN, KAZ"
            defaultValue={recipe?.entities?.join(', ')}
          />
          <span className="hint">For files with many countries; empty keeps every country.</span>
        </label>
        <datalist id="entity-codes">
          {entities.map((e) => (
            <option key={e.code} value={e.code}>
              {e.name}
            </option>
          ))}
        </datalist>
        <label className="field">
          Unit of the values
          <input
            name="unit"
            required
            value={unit}
            onChange={(e) => setUnit(e.currentTarget.value)}
          />
          {indicator && (
            <span className="hint">
              The indicator’s unit is {indicator.unitLong}, or a convertible one.
            </span>
          )}
        </label>
        <label className="field">
          Series label (optional)
          <input name="label" placeholder="World Bank (China)" defaultValue={recipe?.label} />
        </label>
      </div>
      <div className="field-row" role="radiogroup" aria-label="Kind">
        <span className="hint">Kind:</span>
        {(['observed', 'projection', 'reported'] as const).map((k) => (
          <label key={k}>
            <input
              type="radio"
              name="kind"
              value={k}
              defaultChecked={k === (recipe?.kind ?? 'observed')}
            />
            {k[0]!.toUpperCase() + k.slice(1)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
