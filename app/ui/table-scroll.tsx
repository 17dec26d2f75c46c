// A wide table's box: it scrolls sideways on a narrow screen, so it is a named region
// that takes the keyboard focus (arrow keys then scroll it).
export function TableScroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
