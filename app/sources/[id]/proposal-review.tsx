'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import type { FormState } from '@/lib/api/form-writes';
import type { ClaimDraft, IndicatorOption, ReviewProposal } from '@/lib/claims/proposals';
import { errorFor, FieldErrors } from '@/app/ui/field-errors';
import { acceptProposal } from './actions';

type Status =
  | { state: 'open'; form?: FormState }
  | { state: 'accepted'; observationId: number | null }
  | { state: 'rejected' };

type Props = {
  sourceId: number;
  proposals: ReviewProposal[];
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
};

// Rejections are a reviewer's note to self, not data: they are kept in this browser
// (by the proposal's key, stable while the stored text is), never in the database.
const storageKey = (sourceId: number) => `sourced:rejected:${sourceId}`;

function loadRejected(sourceId: number): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(storageKey(sourceId)) ?? '[]');
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

function saveRejected(sourceId: number, keys: string[]) {
  try {
    localStorage.setItem(storageKey(sourceId), JSON.stringify(keys));
  } catch {
    // Private mode or a full quota: the rejection lasts for this page only.
  }
}

/** The sentence in its paragraph, the quote marked and the figure in it emphasised. */
function InContext({ p }: { p: ReviewProposal }) {
  const chars = Array.from(p.quote.text);
  const before = chars.slice(0, p.figure.start).join('');
  const figure = chars.slice(p.figure.start, p.figure.end).join('');
  const after = chars.slice(p.figure.end).join('');
  return (
    <p className="proposal-context">
      <span className="meta">{p.context.before}</span>
      <mark data-testid="proposal-quote">
        {before}
        <strong>{figure}</strong>
        {after}
      </mark>
      <span className="meta">{p.context.after}</span>
    </p>
  );
}

function Field({
  label,
  name,
  value,
  problem,
  ...rest
}: {
  label: string;
  name: keyof ClaimDraft;
  value: string;
  problem: string | null;
} & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="field">
      {label}
      <input name={name} defaultValue={value} aria-invalid={problem ? true : undefined} {...rest} />
      {problem && <span className="problem">{problem}</span>}
    </label>
  );
}

function ProposalFields({
  p,
  indicators,
  entities,
  form,
}: {
  p: ReviewProposal;
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
  form?: FormState;
}) {
  const d = p.draft;
  const [entity, setEntity] = useState(d.entity);
  const problem = (path: string) => (form ? (errorFor(form.errors, path) ?? null) : null);
  const known = entities.some((e) => e.code === entity.trim().toUpperCase());
  return (
    <div className="field-grid">
      <label className="field">
        Indicator
        <select name="indicator" defaultValue={d.indicator}>
          <option value="">— choose an indicator —</option>
          {indicators.map((i) => (
            <option key={i.slug} value={i.slug}>
              {i.title} ({i.unitShort})
            </option>
          ))}
        </select>
        {'proposed' in p.match && (
          <span className="hint">
            No stored indicator matches: the extractor would call it “{p.match.proposed.name}”
            {p.match.proposed.unit ? ` (${p.match.proposed.unit})` : ''}.
          </span>
        )}
        {problem('indicator') && <span className="problem">{problem('indicator')}</span>}
      </label>
      <label className="field">
        Entity (ISO 3166 alpha-3 code)
        <input
          name="entity"
          list="review-entities"
          value={entity}
          onChange={(e) => setEntity(e.currentTarget.value)}
          aria-invalid={problem('entity') ? true : undefined}
        />
        {problem('entity') && <span className="problem">{problem('entity')}</span>}
      </label>
      {entity.trim() && !known && (
        <Field
          label="Name of the new entity"
          name="entityName"
          value={d.entityName}
          problem={null}
        />
      )}
      <label className="field">
        Kind
        <select name="kind" defaultValue={d.kind}>
          <option value="projection">Projection</option>
          <option value="reported">Reported</option>
        </select>
      </label>
      <Field label="Target period" name="period" value={d.period} problem={problem('period')} />
      <Field
        label="Figure"
        name="value"
        value={d.value}
        inputMode="decimal"
        problem={problem('value')}
      />
      <Field label="Unit as stated" name="unit" value={d.unit} problem={problem('unit')} />
      <Field label="Speaker" name="speaker" value={d.speaker} problem={null} />
      <Field label="Attribution" name="attribution" value={d.attribution} problem={null} />
      <Field label="Cited outlet" name="citedOutlet" value={d.citedOutlet} problem={null} />
      <Field label="Note" name="note" value={d.note} problem={problem('label')} />
    </div>
  );
}

type CardProps = {
  sourceId: number;
  p: ReviewProposal;
  index: number;
  status: Status;
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
  register: (key: string, form: HTMLFormElement | null) => void;
  onAccept: (key: string) => void;
  onReject: (key: string) => void;
  onMove: (index: number, by: number) => void;
  busy: boolean;
};

function ProposalCard(props: CardProps) {
  const { p, index, status, busy, sourceId } = props;
  if (status.state !== 'open') return null;
  const onKeyDown = (e: React.KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape' && e.target !== e.currentTarget) return void e.currentTarget.focus();
    if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
    const act: Record<string, () => void> = {
      a: () => props.onAccept(p.key),
      r: () => props.onReject(p.key),
      j: () => props.onMove(index, 1),
      ArrowDown: () => props.onMove(index, 1),
      k: () => props.onMove(index, -1),
      ArrowUp: () => props.onMove(index, -1),
    };
    const run = act[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  };
  return (
    <li
      className="proposal source-item"
      tabIndex={0}
      data-proposal={p.key}
      data-index={index}
      aria-label={`Proposed claim ${index + 1}: ${p.figure.text}`}
      onKeyDown={onKeyDown}
    >
      <InContext p={p} />
      <form
        ref={(f) => props.register(p.key, f)}
        className="data-form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onAccept(p.key);
        }}
      >
        {status.form && <FieldErrors errors={status.form.errors} error={status.form.error} />}
        <input type="hidden" name="source" value={sourceId} />
        <input type="hidden" name="quote" value={p.quote.text} />
        <input type="hidden" name="quoteStart" value={p.quote.start} />
        <ProposalFields
          p={p}
          indicators={props.indicators}
          entities={props.entities}
          form={status.form}
        />
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            Accept
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => props.onReject(p.key)}
          >
            Reject
          </button>
        </div>
      </form>
    </li>
  );
}

function useReviewState(sourceId: number, proposals: ReviewProposal[]) {
  const [status, setStatus] = useState<Record<string, Status>>(() =>
    Object.fromEntries(
      proposals.map((p) => [
        p.key,
        p.recorded ? { state: 'accepted', observationId: null } : { state: 'open' },
      ]),
    ),
  );
  useEffect(() => {
    const rejected = new Set(loadRejected(sourceId));
    if (rejected.size === 0) return;
    // Read after the first render: the server cannot see this browser's rejections.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setStatus((s) => {
      const next = { ...s };
      for (const k of rejected) if (next[k]?.state === 'open') next[k] = { state: 'rejected' };
      return next;
    });
  }, [sourceId]);
  return [status, setStatus] as const;
}

/** The proposals accepted here or recorded before, each linked to its score. */
function AcceptedList({
  accepted,
  status,
}: {
  accepted: ReviewProposal[];
  status: Record<string, Status>;
}) {
  if (accepted.length === 0) return null;
  return (
    <ul data-testid="review-accepted">
      {accepted.map((p) => {
        const s = status[p.key] as Extract<Status, { state: 'accepted' }>;
        return (
          <li key={p.key}>
            Recorded: {p.figure.text} — “{p.quote.text}”{' '}
            <a href={`/claims${s.observationId ? `#claim-observation-${s.observationId}` : ''}`}>
              on /claims
            </a>
          </li>
        );
      })}
    </ul>
  );
}

export function ProposalReview({ sourceId, proposals, indicators, entities }: Props) {
  const [status, setStatus] = useReviewState(sourceId, proposals);
  const [busy, startTransition] = useTransition();
  const [message, setMessage] = useState('');
  const forms = useRef(new Map<string, HTMLFormElement>());
  const listRef = useRef<HTMLOListElement>(null);
  const register = (key: string, f: HTMLFormElement | null) => {
    if (f) forms.current.set(key, f);
    else forms.current.delete(key);
  };
  const open = proposals.filter((p) => status[p.key]?.state === 'open');
  const rejected = proposals.filter((p) => status[p.key]?.state === 'rejected');
  const accepted = proposals.filter((p) => status[p.key]?.state === 'accepted');

  const focusCard = (index: number) => {
    const cards = listRef.current?.querySelectorAll<HTMLElement>('li.proposal');
    if (!cards?.length) return;
    cards[Math.max(0, Math.min(cards.length - 1, index))]?.focus();
  };
  const move = (index: number, by: number) => focusCard(index + by);
  const positionOf = (key: string) => open.findIndex((p) => p.key === key);

  async function acceptOne(key: string): Promise<boolean> {
    const form = forms.current.get(key);
    if (!form) return false;
    const r = await acceptProposal(new FormData(form));
    setStatus((s) => ({
      ...s,
      [key]: r.ok
        ? { state: 'accepted', observationId: r.observationId }
        : { state: 'open', form: r.state },
    }));
    return r.ok;
  }

  const accept = (key: string) => {
    const at = positionOf(key);
    startTransition(async () => {
      const ok = await acceptOne(key);
      setMessage(ok ? 'Claim recorded.' : 'The claim was not recorded: see its fields.');
      if (ok) setTimeout(() => focusCard(at), 0);
    });
  };
  const reject = (key: string) => {
    const at = positionOf(key);
    setStatus((s) => ({ ...s, [key]: { state: 'rejected' } }));
    saveRejected(sourceId, [...new Set([...loadRejected(sourceId), key])]);
    setMessage('Proposal rejected.');
    setTimeout(() => focusCard(at), 0);
  };
  const restore = () => {
    saveRejected(sourceId, []);
    setStatus((s) => {
      const next = { ...s };
      for (const p of rejected) next[p.key] = { state: 'open' };
      return next;
    });
  };
  const acceptMatching = () =>
    startTransition(async () => {
      let done = 0;
      let failed = 0;
      for (const p of open) {
        const form = forms.current.get(p.key);
        if (!form || !new FormData(form).get('indicator')) continue;
        if (await acceptOne(p.key)) done++;
        else failed++;
      }
      setMessage(
        `${done} claim${done === 1 ? '' : 's'} recorded${failed ? `; ${failed} not recorded: see their fields` : ''}.`,
      );
    });

  return (
    <section aria-labelledby="review-heading" id="review">
      <h2 id="review-heading">Proposed claims</h2>
      <p className="hint">
        The figures Sourced found in the text, each with its sentence. Check and edit the fields,
        then Accept (the claim is recorded with its verbatim quote, as the claim form records it) or
        Reject (hidden in this browser). Keys on a focused proposal: <kbd>a</kbd> accept,{' '}
        <kbd>r</kbd> reject, <kbd>j</kbd>/<kbd>k</kbd> or arrows next and previous; <kbd>Esc</kbd>{' '}
        from a field back to its proposal.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={busy || !open.some((p) => p.draft.indicator)}
          onClick={acceptMatching}
        >
          Accept all that match an indicator
        </button>
        <span role="status" data-testid="review-status">
          {busy ? 'Saving…' : message}
        </span>
      </div>
      <p className="meta" data-testid="review-counts">
        {open.length} to review, {accepted.length} recorded, {rejected.length} rejected
        {rejected.length > 0 && (
          <>
            {' '}
            <button type="button" className="button" onClick={restore}>
              Show the rejected again
            </button>
          </>
        )}
      </p>
      <datalist id="review-entities">
        {entities.map((e) => (
          <option key={e.code} value={e.code}>
            {e.name}
          </option>
        ))}
      </datalist>
      <ol className="sources" ref={listRef}>
        {open.map((p, i) => (
          <ProposalCard
            key={p.key}
            sourceId={sourceId}
            p={p}
            index={i}
            status={status[p.key]!}
            indicators={indicators}
            entities={entities}
            register={register}
            onAccept={accept}
            onReject={reject}
            onMove={move}
            busy={busy}
          />
        ))}
      </ol>
      <AcceptedList accepted={accepted} status={status} />
    </section>
  );
}
