'use client';

import './claim-form.css';
import { useActionState, useRef, useState } from 'react';
import type { FormState } from '@/lib/api/form-writes';
import { errorFor, FieldErrors } from '@/app/ui/field-errors';
import { recordClaim } from './actions';

type Sentence = { text: string; start: number; end: number };
type IndicatorOption = { slug: string; title: string; unitLong: string; unitShort: string };

type Props = {
  source: { id: number; title: string; publisher: string; publishedOn: string | null };
  text: string;
  sentences: Sentence[];
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
  preselected?: string;
};

const initial: FormState = { errors: [], error: null };

/** Code points in a string: offsets are stored in code points, not UTF-16 units. */
const codePoints = (s: string) => Array.from(s).length;

/**
 * The document with each sentence clickable, between the gaps of the stored text, so
 * that the element's text is the stored text exactly and a free selection's offset is
 * the length of the text before it.
 */
function DocumentText({
  text,
  sentences,
  chosen,
  onChoose,
}: {
  text: string;
  sentences: Sentence[];
  chosen: Sentence | null;
  onChoose: (quote: string, start: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chars = Array.from(text);
  const parts: React.ReactNode[] = [];
  let at = 0;
  sentences.forEach((s, i) => {
    if (s.start > at) parts.push(chars.slice(at, s.start).join(''));
    const selected = chosen?.start === s.start && chosen.end === s.end;
    parts.push(
      <span
        key={i}
        role="button"
        tabIndex={0}
        className={selected ? 'sentence chosen' : 'sentence'}
        aria-pressed={selected}
        data-sentence={i}
        onClick={() => {
          // A click ends a drag too: a real selection wins over the sentence under it.
          const sel = window.getSelection();
          if (sel && !sel.isCollapsed) return;
          onChoose(s.text, s.start);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onChoose(s.text, s.start);
          }
        }}
      >
        {s.text}
      </span>,
    );
    at = s.end;
  });
  if (at < chars.length) parts.push(chars.slice(at).join(''));

  function takeSelection() {
    const sel = window.getSelection();
    const root = ref.current;
    if (!sel || sel.isCollapsed || !root || sel.rangeCount === 0) return;
    const range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
    const before = document.createRange();
    before.setStart(root, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const raw = range.toString();
    const lead = raw.length - raw.trimStart().length;
    const quote = raw.trim();
    if (!quote) return;
    onChoose(quote, codePoints(before.toString()) + codePoints(raw.slice(0, lead)));
  }

  return (
    <div
      ref={ref}
      className="document-text"
      data-testid="document-text"
      onMouseUp={takeSelection}
      onKeyUp={takeSelection}
    >
      {parts}
    </div>
  );
}

type Problem = (path: string) => React.ReactNode;

/** Step 2: the indicator, entity, kind, period, figure and unit. */
function FigureFields({
  values: v,
  problem,
  indicators,
  entities,
  preselected,
}: {
  values: Record<string, string>;
  problem: Problem;
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
  preselected?: string;
}) {
  const [slug, setSlug] = useState(v.indicator ?? preselected ?? indicators[0]?.slug ?? '');
  const [entity, setEntity] = useState(v.entity ?? '');
  const indicator = indicators.find((i) => i.slug === slug);
  const known = entities.some((e) => e.code === entity.trim().toUpperCase());
  return (
    <fieldset>
      <legend>2. The figure</legend>
      <div className="field-grid">
        <label className="field">
          Indicator
          <select name="indicator" value={slug} onChange={(e) => setSlug(e.currentTarget.value)}>
            {indicators.map((i) => (
              <option key={i.slug} value={i.slug}>
                {i.title} ({i.unitShort})
              </option>
            ))}
          </select>
          {problem('indicator')}
        </label>
        <label className="field">
          Entity (ISO 3166 alpha-3 code)
          <input
            name="entity"
            list="claim-entities"
            required
            value={entity}
            onChange={(e) => setEntity(e.currentTarget.value)}
            placeholder="CHN"
          />
          <datalist id="claim-entities">
            {entities.map((e) => (
              <option key={e.code} value={e.code}>
                {e.name}
              </option>
            ))}
          </datalist>
          {problem('entity')}
        </label>
        {entity.trim() && !known && (
          <label className="field">
            Name of the new entity
            <input name="entityName" defaultValue={v.entityName ?? ''} />
          </label>
        )}
        <label className="field">
          Kind
          <select name="kind" defaultValue={v.kind ?? 'projection'}>
            <option value="projection">Projection (a figure for a future period)</option>
            <option value="reported">Reported (a figure about the present or past)</option>
          </select>
        </label>
        <label className="field">
          Target period (YYYY, YYYY-MM or YYYY-MM-DD)
          <input name="period" required defaultValue={v.period ?? ''} placeholder="2030" />
          {problem('period')}
        </label>
        <label className="field">
          Figure
          <input
            name="value"
            required
            inputMode="decimal"
            defaultValue={v.value ?? ''}
            placeholder="800"
          />
          {problem('value')}
        </label>
        <label className="field">
          Unit as stated
          <input
            name="unit"
            defaultValue={v.unit ?? ''}
            placeholder={indicator ? indicator.unitLong : ''}
          />
          <span className="hint">
            Blank for the indicator’s ({indicator?.unitLong}); another unit must convert to it.
          </span>
          {problem('unit')}
        </label>
      </div>
    </fieldset>
  );
}

/** Step 3: who makes the claim, where the document cites it from, and the series label. */
function WhoFields({
  values: v,
  source,
  problem,
}: {
  values: Record<string, string>;
  source: Props['source'];
  problem: Problem;
}) {
  return (
    <fieldset>
      <legend>3. Who says so</legend>
      <div className="field-grid">
        <label className="field">
          Speaker (a person quoted)
          <input name="speaker" defaultValue={v.speaker ?? ''} />
        </label>
        <label className="field">
          Attribution (otherwise: who the document credits)
          <input name="attribution" defaultValue={v.attribution ?? ''} placeholder="experts" />
        </label>
        <label className="field">
          Cited outlet (as the document prints it)
          <input name="citedOutlet" defaultValue={v.citedOutlet ?? ''} />
        </label>
        <label className="field">
          Series label (optional)
          <input
            name="label"
            defaultValue={v.label ?? ''}
            placeholder={`${source.publisher} ${source.publishedOn?.slice(0, 4) ?? ''}`}
          />
          {problem('label')}
        </label>
      </div>
      <label className="field">
        Note
        <input name="note" defaultValue={v.note ?? ''} />
      </label>
    </fieldset>
  );
}

export function ClaimForm({ source, text, sentences, indicators, entities, preselected }: Props) {
  const [state, action, pending] = useActionState(recordClaim, initial);
  const v = state.values ?? {};
  const [quote, setQuote] = useState<{ text: string; start: number | null }>({
    text: v.quote ?? '',
    start: v.quoteStart ? Number(v.quoteStart) : null,
  });
  const chosen =
    quote.start === null
      ? null
      : { text: quote.text, start: quote.start, end: quote.start + codePoints(quote.text) };
  const problem = (path: string) => {
    const p = errorFor(state.errors, path);
    return p ? <span className="problem">{p}</span> : null;
  };

  return (
    <form className="data-form claim-form" action={action}>
      <FieldErrors errors={state.errors} error={state.error} />
      <input type="hidden" name="source" value={source.id} />
      <fieldset>
        <legend>1. Select the sentence that makes the claim</legend>
        <p className="hint">
          Click a sentence, or select the exact words with the mouse. The quote is stored with its
          place in the text and checked against it.
        </p>
        <DocumentText
          text={text}
          sentences={sentences}
          chosen={chosen}
          onChoose={(t, start) => setQuote({ text: t, start })}
        />
        <label className="field">
          Quote (verbatim)
          <textarea
            name="quote"
            rows={3}
            required
            value={quote.text}
            onChange={(e) => setQuote({ text: e.currentTarget.value, start: null })}
            data-testid="quote"
          />
          {problem('quote.text')}
        </label>
        <input type="hidden" name="quoteStart" value={quote.start ?? ''} />
        <p className="hint" data-testid="quote-offsets">
          {chosen
            ? `Characters ${chosen.start}–${chosen.end} of the document.`
            : quote.text
              ? 'Typed or edited: its place is found in the text when you save (it must occur exactly once).'
              : 'No quote selected yet.'}
        </p>
      </fieldset>
      <FigureFields
        values={v}
        problem={problem}
        indicators={indicators}
        entities={entities}
        preselected={preselected}
      />
      <WhoFields values={v} source={source} problem={problem} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={pending}>
          Record the claim
        </button>
        {pending && <span role="status">Saving…</span>}
      </div>
    </form>
  );
}
