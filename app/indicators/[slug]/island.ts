'use client';

// Islands: code a control needs only once it is used, loaded on the reader's first
// focus, pointer press or touch inside it. Not on hover: pointing at a control on the
// way elsewhere is not using it. The listeners are the DOM's own, so they see the first
// use even though the control's code is not there yet; the control itself is native
// and keeps what the reader did meanwhile.
import { useEffect, useState, type RefObject } from 'react';

const FIRST_USE = ['focusin', 'pointerdown', 'touchstart'] as const;

/**
 * The module `load` gives and the element used, once the element `ref` names has been
 * used; null until then.
 */
export function useOnFirstUse<T>(ref: RefObject<HTMLElement | null>, load: () => Promise<T>) {
  const [loaded, setLoaded] = useState<{ module: T; element: HTMLElement } | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let cancelled = false;
    const use = () => {
      for (const type of FIRST_USE) el.removeEventListener(type, use);
      load().then(
        (module) => cancelled || setLoaded({ module, element: el }),
        // A chunk that fails to load leaves the native control, which still works.
        () => undefined,
      );
    };
    for (const type of FIRST_USE) el.addEventListener(type, use, { passive: true });
    // Focus that arrived before this script (a reader tabbing in early) is a use too.
    if (el.contains(document.activeElement)) use();
    return () => {
      cancelled = true;
      for (const type of FIRST_USE) el.removeEventListener(type, use);
    };
  }, [ref, load]);
  return loaded;
}
