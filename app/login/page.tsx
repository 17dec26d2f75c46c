import type { Metadata } from 'next';
import Link from 'next/link';
import { configuredEditorToken, isEditor, safeNextPath } from '@/lib/web/auth';
import { logOut, logOutEverywhere } from './actions';
import { LoginForm } from './login-form';

export const metadata: Metadata = {
  title: 'Editor login',
  // The Jupyter-style URL carries the token: keep it out of Referer headers to other
  // sites. Not 'no-referrer': that makes browsers send `Origin: null` with the form,
  // and the login action then refuses it as coming from another site.
  referrer: 'same-origin',
  robots: { index: false },
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNextPath(single(params.next));

  if (await isEditor()) {
    return (
      <>
        <h1>Editor login</h1>
        <p className="lede">You are logged in as editor.</p>
        <p>
          <Link href={next}>Continue</Link>
        </p>
        <form action={logOut}>
          <button className="button" type="submit">
            Log out
          </button>
        </form>
        <form action={logOutEverywhere}>
          <button className="button" type="submit">
            Log out everywhere
          </button>
          <p className="meta">Ends every editor session, in every browser.</p>
        </form>
      </>
    );
  }

  return (
    <>
      <h1>Editor login</h1>
      <p className="lede">
        You are not logged in. Reading is open to everyone; adding or changing data needs the editor
        token, which <code>npm start</code> prints the first time it runs.
      </p>
      {configuredEditorToken() === null && (
        <p className="notice" role="status">
          This server has no editor token yet: set SOURCED_EDITOR_TOKEN or run npm start once.
        </p>
      )}
      <LoginForm token={single(params.token) ?? ''} next={next} />
      <p className="meta">
        API clients send the token as <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
    </>
  );
}
