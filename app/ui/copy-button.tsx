'use client';

// Copies a text to the clipboard and says so; where the clipboard is not available
// (an insecure origin, an old browser) it selects the text for the user to copy.
import './copy-button.css';
import { useState } from 'react';

export function CopyButton({
  text,
  label,
  target,
  className = 'button',
}: {
  /** The text to copy; or, with `target`, read from that field when clicked. */
  text?: string;
  label: string;
  target?: string;
  className?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  async function copy() {
    const field = target ? document.getElementById(target) : null;
    const value =
      text ??
      (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement
        ? field.value
        : (field?.textContent ?? ''));
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.select();
      setState('select');
    }
    setTimeout(() => setState('idle'), 2500);
  }
  return (
    <>
      <button type="button" className={className} onClick={copy}>
        {label}
      </button>
      <span className="copy-status" role="status">
        {state === 'copied' ? 'Copied' : state === 'select' ? 'Selected: press Ctrl+C to copy' : ''}
      </span>
    </>
  );
}
