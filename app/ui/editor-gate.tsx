import Link from 'next/link';

/** What a page that writes shows a reader who is not logged in as editor. */
export function EditorGate({ title, what, next }: { title: string; what: string; next: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p>
        {what} needs the editor token.{' '}
        <Link href={`/login?next=${encodeURIComponent(next)}`}>Log in as editor</Link>
      </p>
    </>
  );
}
