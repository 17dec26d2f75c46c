'use client';

import { useActionState, useState } from 'react';
import { FORMULA_INFO, FORMULAS, type Formula } from '@/lib/domain/derive';
import type { FormState } from '@/lib/api/form-writes';
import { errorFor, FieldErrors } from '../../ui/field-errors';
import { defineDerivation } from './actions';

type Props = {
  indicators: { slug: string; title: string; unitShort: string }[];
  entities: { code: string; name: string }[];
  targets: { indicator: { slug: string; title: string }; entity: { code: string; name: string } }[];
  preselected?: string;
};

const initial: FormState = { errors: [], error: null };

export function DerivationForm({ indicators, entities, targets, preselected }: Props) {
  const [state, action, pending] = useActionState(defineDerivation, initial);
  const v = state.values ?? {};
  const [formula, setFormula] = useState<Formula>((v.formula as Formula) ?? 'ratio');
  const info = FORMULA_INFO[formula];
  const problem = (path: string) => {
    const p = errorFor(state.errors, path);
    return p ? <span className="problem">{p}</span> : null;
  };
  const operand = (prefix: 'a' | 'b', label: string) => (
    <fieldset>
      <legend>{label}</legend>
      <div className="field-grid">
        <label className="field">
          Indicator
          <select name={`${prefix}Indicator`} defaultValue={v[`${prefix}Indicator`] ?? ''}>
            <option value="">Choose…</option>
            {indicators.map((i) => (
              <option key={i.slug} value={i.slug}>
                {i.title} ({i.unitShort})
              </option>
            ))}
          </select>
          {problem(`${prefix}.indicator`)}
        </label>
        <label className="field">
          Entity
          <select name={`${prefix}Entity`} defaultValue={v[`${prefix}Entity`] ?? ''}>
            <option value="">Choose…</option>
            {entities.map((e) => (
              <option key={e.code} value={e.code}>
                {e.name} ({e.code})
              </option>
            ))}
          </select>
          {problem(`${prefix}.entity`)}
        </label>
      </div>
      <p className="hint">Its observed series, with their own sources, are the operand.</p>
    </fieldset>
  );

  return (
    <form className="data-form" action={action}>
      <FieldErrors errors={state.errors} error={state.error} />
      <fieldset>
        <legend>The formula</legend>
        <div className="field-grid">
          <label className="field">
            Title
            <input name="title" required defaultValue={v.title ?? ''} />
            {problem('title')}
          </label>
          <label className="field">
            Formula
            <select
              name="formula"
              value={formula}
              onChange={(e) => setFormula(e.currentTarget.value as Formula)}
            >
              {FORMULAS.map((f) => (
                <option key={f} value={f}>
                  {FORMULA_INFO[f].label}: {FORMULA_INFO[f].expression}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Slug (optional)
            <input name="slug" defaultValue={v.slug ?? ''} placeholder="from the title" />
            {problem('slug')}
          </label>
        </div>
        <p className="hint">{info.description}</p>
      </fieldset>
      {operand('a', 'Operand a')}
      {info.operands === 2 ? operand('b', 'Operand b') : problem('b')}
      <fieldset>
        <legend>The claims it scores</legend>
        <label className="field">
          Claims of
          <select name="target" defaultValue={v.target ?? preselected ?? ''} required>
            <option value="">Choose…</option>
            {targets.map((t) => (
              <option
                key={`${t.indicator.slug}:${t.entity.code}`}
                value={`${t.indicator.slug}:${t.entity.code}`}
              >
                {t.indicator.title}: {t.entity.name}
              </option>
            ))}
          </select>
          {problem('target')}
          {problem('target.indicator')}
        </label>
        <label className="confirm">
          <input type="checkbox" name="proxy" defaultChecked={v.proxy === 'on'} /> A proxy: it
          measures something close to the claim, not the claim itself (it is labelled so wherever it
          is shown)
        </label>
        <label className="field">
          Note (what it measures, and what it leaves out)
          <input name="note" defaultValue={v.note ?? ''} />
        </label>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button primary" disabled={pending}>
          Define the derivation
        </button>
        {pending && <span role="status">Saving…</span>}
      </div>
    </form>
  );
}
