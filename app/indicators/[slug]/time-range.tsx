'use client';

// The time range: two thumbs on one track (native range inputs, so arrows, Page Up/Down,
// Home and End work), and presets. Dragging moves the thumbs at once; the view follows
// when the thumb rests, so a drag is one navigation, not fifty.
import { useEffect, useRef, useState } from 'react';

type Range = { from: number | null; to: number | null };

const SETTLE_MS = 350;

export function TimeRange(props: {
  bounds: { min: number; max: number };
  value: Range;
  claimYear: number | null;
  /** The page's URL for a range: presets are links, so they work without JavaScript too. */
  hrefFor: (r: Range) => string;
  onChange: (next: Range) => void;
}) {
  const { bounds, value, claimYear, onChange, hrefFor } = props;
  const clamp = (y: number) => Math.min(Math.max(y, bounds.min), bounds.max);
  const from = clamp(value.from ?? bounds.min);
  const to = clamp(value.to ?? bounds.max);
  const [draft, setDraft] = useState<{ from: number; to: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const shown = draft ?? { from, to };
  const asRange = (r: { from: number; to: number }): Range => ({
    from: r.from <= bounds.min ? null : r.from,
    to: r.to >= bounds.max ? null : r.to,
  });
  function move(next: { from: number; to: number }) {
    setDraft(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setDraft(null);
      onChange(asRange(next));
    }, SETTLE_MS);
  }
  function preset(r: Range) {
    if (timer.current) clearTimeout(timer.current);
    setDraft(null);
    onChange(r);
  }

  const span = Math.max(1, bounds.max - bounds.min);
  const pct = (y: number) => ((y - bounds.min) / span) * 100;
  const last10 = Math.max(bounds.min, bounds.max - 9);
  const presets: { label: string; range: Range; current: boolean }[] = [
    {
      label: 'All',
      range: { from: null, to: null },
      current: value.from === null && value.to === null,
    },
    {
      label: 'Last 10 years',
      range: { from: last10 <= bounds.min ? null : last10, to: null },
      current: value.from === last10 && value.to === null,
    },
  ];
  if (claimYear !== null && claimYear > bounds.min && claimYear < bounds.max)
    presets.push({
      label: `Since the claim (${claimYear})`,
      range: { from: claimYear, to: null },
      current: value.from === claimYear && value.to === null,
    });

  return (
    <fieldset className="time-range" data-testid="time-range">
      <legend>
        Time:{' '}
        <output aria-live="off">
          {shown.from === shown.to ? shown.from : `${shown.from}–${shown.to}`}
        </output>
      </legend>
      <div
        className="range-track"
        style={{
          ['--lo' as string]: `${pct(shown.from)}%`,
          ['--hi' as string]: `${pct(shown.to)}%`,
        }}
      >
        <input
          type="range"
          name="from"
          min={bounds.min}
          max={bounds.max}
          step={1}
          value={shown.from}
          aria-label="From year"
          aria-valuetext={`From ${shown.from}`}
          onChange={(e) => {
            const y = Number(e.currentTarget.value);
            move({ from: Math.min(y, shown.to), to: shown.to });
          }}
        />
        <input
          type="range"
          name="to"
          min={bounds.min}
          max={bounds.max}
          step={1}
          value={shown.to}
          aria-label="To year"
          aria-valuetext={`To ${shown.to}`}
          onChange={(e) => {
            const y = Number(e.currentTarget.value);
            move({ from: shown.from, to: Math.max(y, shown.from) });
          }}
        />
      </div>
      <div className="range-ends" aria-hidden="true">
        <span>{bounds.min}</span>
        <span>{bounds.max}</span>
      </div>
      <div className="presets" role="group" aria-label="Time presets">
        {presets.map((p) => (
          <a
            key={p.label}
            href={hrefFor(p.range)}
            className="button"
            aria-current={p.current ? 'true' : undefined}
            onClick={(e) => {
              e.preventDefault();
              preset(p.range);
            }}
          >
            {p.label}
          </a>
        ))}
      </div>
    </fieldset>
  );
}
