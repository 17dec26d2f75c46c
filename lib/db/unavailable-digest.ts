// The digest of an error that means "the database could not be reached or was too
// busy" (lib/db/failures.ts): Next.js hands a server error's digest, and nothing
// else of it, to the error page (app/error.tsx), which then says what happened.
// Browser-safe: the error page imports it.
export const DATABASE_UNAVAILABLE_DIGEST = 'SOURCED_DATABASE_UNAVAILABLE';
