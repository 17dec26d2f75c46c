'use client';

// The one script every indicator page runs for its controls. The form and its native
// controls are the server's (chart-panel.tsx); this only turns a change into the page's
// URL without a reload: the view is read from the form's fields (form-view.ts), so a box
// ticked or a key typed before this script arrived still counts. The picker's search and
// the time slider's live track load when first used (picker-island.tsx, time-range-island.tsx).
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useLayoutEffect, useRef, useTransition, type ReactNode } from 'react';
import { changedSinceRendered, formQuery, showRendered } from './form-view';
import { APPLY_EVENT, RENDERED_EVENT, setPendingView } from './pending-view';

/** A dragged or arrowed time range applies once it rests: one navigation, not fifty. */
const RANGE_SETTLE_MS = 350;

export function ViewForm(props: {
  /** The query string of the view the server rendered. */
  served: string;
  defaults: number[];
  children: ReactNode;
}) {
  const { served, defaults, children } = props;
  const router = useRouter();
  const pathname = usePathname();
  const form = useRef<HTMLFormElement>(null);
  const [navigating, startTransition] = useTransition();
  const latest = useRef({ served, defaults, pathname });
  // Layout effects, here and below: they run in the same task as the commit that brings a
  // new view's controls, so a click cannot land between the two. A box unticked in that gap
  // was compared with the view before and dropped, then ticked again as the server drew it.
  useLayoutEffect(() => {
    latest.current = { served, defaults, pathname };
  }, [served, defaults, pathname]);

  useEffect(() => {
    const el = form.current;
    if (!el) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const apply = (withFind = false) => {
      clearTimeout(timer);
      const { served: now, defaults: d, pathname: path } = latest.current;
      const query = formQuery(el, d, withFind);
      if (query === now) return setPendingView(null);
      setPendingView(query);
      startTransition(() => router.replace(query ? `${path}?${query}` : path, { scroll: false }));
    };
    const onChange = (e: Event) => {
      const target = e.target as HTMLInputElement;
      // "Find a series" is sent by its button or Enter, not by leaving the box.
      if (target.name === 'find') return;
      clearTimeout(timer);
      if (target.type === 'range') timer = setTimeout(apply, RANGE_SETTLE_MS);
      else apply();
    };
    const onSubmit = (e: SubmitEvent) => {
      e.preventDefault();
      apply(true);
    };
    const onApply = () => apply();
    el.addEventListener('change', onChange);
    el.addEventListener('submit', onSubmit);
    el.addEventListener(APPLY_EVENT, onApply);
    // What the reader did before this script ran.
    if (changedSinceRendered(el)) apply();
    return () => {
      clearTimeout(timer);
      el.removeEventListener('change', onChange);
      el.removeEventListener('submit', onSubmit);
      el.removeEventListener(APPLY_EVENT, onApply);
    };
  }, [router]);

  // The server's page for a new view has arrived: the controls show it (a preset, going
  // back), unless another change is still on its way.
  const shown = useRef(served);
  useLayoutEffect(() => {
    if (navigating || !form.current || shown.current === served) return;
    shown.current = served;
    setPendingView(null);
    showRendered(form.current, document.activeElement);
    form.current.dispatchEvent(new Event(RENDERED_EVENT));
  }, [served, navigating]);

  return (
    <form ref={form} className="controls" method="get" action={pathname}>
      {children}
    </form>
  );
}
