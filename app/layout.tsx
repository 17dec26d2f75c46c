import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sourced', template: '%s · Sourced' },
  description: 'Quantitative indicators where every number carries its source.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            Sourced
          </Link>
          <span className="tagline">every number carries its source</span>
          <nav aria-label="Main">
            <Link href="/">Indicators</Link>
            <Link href="/claims">Claims</Link>
            <Link href="/data/new">Add data</Link>
            {/* Not prefetched: the JSON is not a page; Next.js would fetch it on every
                page and never finish reading it. */}
            <Link href="/api/indicators" prefetch={false}>
              JSON API
            </Link>
            <Link href="/login">Editor login</Link>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          Figures are shown as their sources state them; each links to its verbatim quote.
        </footer>
      </body>
    </html>
  );
}
