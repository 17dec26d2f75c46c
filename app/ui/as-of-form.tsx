// The "as known then" control: a plain GET form, so it works without JavaScript and
// its result is a shareable URL.
import Link from 'next/link';

type Props = {
  action: string;
  asOf: string | null;
  /** Other query parameters of the page, kept when the date changes. */
  keep?: Record<string, string | undefined>;
};

export function AsOfForm({ action, asOf, keep = {} }: Props) {
  return (
    <form method="get" action={action} className="as-of">
      {Object.entries(keep).map(([k, v]) =>
        v === undefined ? null : <input key={k} type="hidden" name={k} value={v} />,
      )}
      <label>
        As known on{' '}
        <input
          type="date"
          name="asOf"
          defaultValue={asOf ?? ''}
          min="2004-01-01"
          aria-describedby="as-of-hint"
        />
      </label>
      <button type="submit" className="button">
        Show
      </button>
      {asOf && <Link href={action}>Back to today</Link>}
      <span id="as-of-hint" className="hint">
        {asOf
          ? `Showing only what had been recorded by the end of ${asOf}.`
          : 'Pick a date to see only what had been recorded by then, e.g. 2004-12-31.'}
      </span>
    </form>
  );
}
