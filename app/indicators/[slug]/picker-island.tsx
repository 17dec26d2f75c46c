'use client';

// The entity picker's island: "Find a series" is the server's search box, sent by its
// Find button; the picker that searches as the reader types (entity-picker.tsx) loads
// on the box's first use and takes it over in place, with what was typed meanwhile.
import { useRef, type ReactNode } from 'react';
import { useOnFirstUse } from './island';

const load = () => import('./entity-picker');

export function PickerIsland(props: { slug: string; asOf: string | null; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const loaded = useOnFirstUse(ref, load);
  const input = loaded?.element.querySelector<HTMLInputElement>('input[name="find"]');
  const Picker = loaded?.module.default;
  return (
    <div ref={ref} className="picker-search">
      {props.children}
      {Picker && input && <Picker input={input} slug={props.slug} asOf={props.asOf} />}
    </div>
  );
}
