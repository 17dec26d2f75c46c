import Link from 'next/link';
import { connection } from 'next/server';

// Rendered per request, like every page: a prerendered 404 carried scripts without the
// request's CSP nonce (lib/web/page-nonce.ts), which the policy then blocked.
export default async function NotFound() {
  await connection();
  return (
    <>
      <h1>Not found</h1>
      <p>There is no indicator or source at this address.</p>
      <p>
        <Link href="/">See all indicators</Link>
      </p>
    </>
  );
}
