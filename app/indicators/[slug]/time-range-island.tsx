'use client';

// The time range's island: the slider is native (the server's markup, time-range.tsx);
// its live track loads on first use and takes over that markup in place.
import { useEffect, useRef, type ReactNode } from 'react';
import { useOnFirstUse } from './island';

const load = () => import('./time-range-live');

export function TimeRangeIsland({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const loaded = useOnFirstUse(ref, load);
  useEffect(() => {
    const fieldset = loaded?.element.querySelector('fieldset');
    if (!loaded || !fieldset) return;
    return loaded.module.liven(fieldset);
  }, [loaded]);
  return (
    <div ref={ref} className="island">
      {children}
    </div>
  );
}
