'use client';

import { DATABASE_UNAVAILABLE_DIGEST } from '@/lib/db/unavailable-digest';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  // The server answers 503 for this one (lib/db/unavailable.ts): say why.
  if (error.digest === DATABASE_UNAVAILABLE_DIGEST) {
    return (
      <>
        <h1>The database is not answering</h1>
        <p>
          The page could not be shown because the database cannot be reached, is too busy right now,
          or has not been set up on this server yet. Nothing was changed; try again in a moment.
        </p>
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </>
    );
  }
  return (
    <>
      <h1>Something went wrong</h1>
      <p>The page could not be shown. Nothing was changed.</p>
      {error.digest && <p className="meta">Reference: {error.digest}</p>}
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </>
  );
}
