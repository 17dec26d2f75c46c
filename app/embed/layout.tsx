// Embedded charts: the page's header, navigation and footer are hidden (globals.css),
// leaving the chart, its legend and its sources.
export default function EmbedLayout({ children }: { children: React.ReactNode }) {
  return <div className="embed-root">{children}</div>;
}
