// The time range, as the server renders it: two thumbs on one track (native range inputs
// of the controls' form, so arrows, Page Up/Down, Home and End work, and the form sends
// them without JavaScript), and presets, which are links. The live track (the thumbs'
// span and the years shown while dragging) is an island: time-range-island.tsx loads
// time-range-live.ts when the slider is first used.
import Link from 'next/link';
import { TimeRangeIsland } from './time-range-island';
import { rangeText, trackPercent } from './time-range-live';

type Range = { from: number | null; to: number | null };

function presetsFor(bounds: { min: number; max: number }, value: Range, claimYear: number | null) {
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
  return presets;
}

export function TimeRange(props: {
  bounds: { min: number; max: number };
  value: Range;
  claimYear: number | null;
  /** The page's URL for a range. */
  hrefFor: (r: Range) => string;
}) {
  const { bounds, value, claimYear, hrefFor } = props;
  const clamp = (y: number) => Math.min(Math.max(y, bounds.min), bounds.max);
  const from = clamp(value.from ?? bounds.min);
  const to = clamp(value.to ?? bounds.max);
  return (
    <TimeRangeIsland>
      <fieldset className="time-range" data-testid="time-range">
        <legend>
          Time: <output aria-live="off">{rangeText(from, to)}</output>
        </legend>
        <div
          className="range-track"
          style={{
            ['--lo' as string]: trackPercent(from, bounds),
            ['--hi' as string]: trackPercent(to, bounds),
          }}
        >
          <input
            type="range"
            name="from"
            min={bounds.min}
            max={bounds.max}
            step={1}
            defaultValue={from}
            aria-label="From year"
            aria-valuetext={`From ${from}`}
          />
          <input
            type="range"
            name="to"
            min={bounds.min}
            max={bounds.max}
            step={1}
            defaultValue={to}
            aria-label="To year"
            aria-valuetext={`To ${to}`}
          />
        </div>
        <div className="range-ends" aria-hidden="true">
          <span>{bounds.min}</span>
          <span>{bounds.max}</span>
        </div>
        <div className="presets" role="group" aria-label="Time presets">
          {presetsFor(bounds, value, claimYear).map((p) => (
            <Link
              key={p.label}
              href={hrefFor(p.range)}
              replace
              scroll={false}
              prefetch={false}
              className="button"
              aria-current={p.current ? 'true' : undefined}
            >
              {p.label}
            </Link>
          ))}
        </div>
      </fieldset>
    </TimeRangeIsland>
  );
}
