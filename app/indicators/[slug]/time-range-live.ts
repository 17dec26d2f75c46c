// The time slider's live track, loaded when the slider is first used: while a thumb
// moves, the track's span and the years in the legend follow it, and one thumb cannot
// pass the other. The form applies the range once it rests (view-form.tsx). It works on
// the server's markup in place (time-range.tsx): it changes the text of the legend's one
// text node, never the nodes React rendered, so React's next render still finds them.

import { RENDERED_EVENT } from './pending-view';

/** The years a range shows, one year once. */
export const rangeText = (from: number, to: number) => (from === to ? `${from}` : `${from}–${to}`);

/** Where a year sits on the track, in per cent. */
export const trackPercent = (y: number, bounds: { min: number; max: number }) =>
  `${((y - bounds.min) / Math.max(1, bounds.max - bounds.min)) * 100}%`;

function parts(fieldset: HTMLFieldSetElement) {
  const from = fieldset.querySelector<HTMLInputElement>('input[name="from"]');
  const to = fieldset.querySelector<HTMLInputElement>('input[name="to"]');
  const track = fieldset.querySelector<HTMLElement>('.range-track');
  const output = fieldset.querySelector('output');
  if (!from || !to || !track || !output) return null;
  return { from, to, track, output };
}

/** Shows the range the thumbs are at: the track's span, the legend, the thumbs' names. */
export function showRange(fieldset: HTMLFieldSetElement) {
  const p = parts(fieldset);
  if (!p) return;
  const bounds = { min: Number(p.from.min), max: Number(p.from.max) };
  const [from, to] = [Number(p.from.value), Number(p.to.value)];
  p.track.style.setProperty('--lo', trackPercent(from, bounds));
  p.track.style.setProperty('--hi', trackPercent(to, bounds));
  const text = p.output.firstChild;
  if (text && text.nodeType === Node.TEXT_NODE) text.nodeValue = rangeText(from, to);
  p.from.setAttribute('aria-valuetext', `From ${from}`);
  p.to.setAttribute('aria-valuetext', `To ${to}`);
}

/** Makes the slider live; returns what undoes it. */
export function liven(fieldset: HTMLFieldSetElement): () => void {
  const p = parts(fieldset);
  if (!p) return () => {};
  const onInput = (e: Event) => {
    // The moved thumb stops at the other one.
    if (e.target === p.from && Number(p.from.value) > Number(p.to.value)) p.from.value = p.to.value;
    if (e.target === p.to && Number(p.to.value) < Number(p.from.value)) p.to.value = p.from.value;
    showRange(fieldset);
  };
  const onRendered = () => showRange(fieldset);
  fieldset.addEventListener('input', onInput);
  fieldset.form?.addEventListener(RENDERED_EVENT, onRendered);
  // Whatever the thumbs did before this code arrived.
  showRange(fieldset);
  return () => {
    fieldset.removeEventListener('input', onInput);
    fieldset.form?.removeEventListener(RENDERED_EVENT, onRendered);
  };
}
