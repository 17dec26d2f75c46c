// "Cite this": the chart's citation (with the link to this view) and BibTeX for the
// chart and for each source its numbers come from. Rendered on the server.
import './cite-box.css';
import { chartCitation, sourceBibtex, type CitableSource } from '@/lib/domain/cite';
import { CopyButton } from '../../ui/copy-button';

export function CiteBox(props: {
  title: string;
  url: string;
  transform: string | null;
  sources: CitableSource[];
  accessed: Date;
}) {
  const chart = chartCitation({
    title: props.title,
    url: props.url,
    accessed: props.accessed,
    sources: props.sources,
    transform: props.transform,
  });
  return (
    <details className="cite-box" data-testid="cite-box">
      <summary>Cite this</summary>
      <h3>This chart</h3>
      <p id="cite-chart-text" className="citation">
        {chart.text}
      </p>
      <CopyButton target="cite-chart-text" label="Copy citation" />
      <pre id="cite-chart-bibtex" className="bibtex">
        {chart.bibtex}
      </pre>
      <CopyButton target="cite-chart-bibtex" label="Copy BibTeX" />
      {props.sources.length > 0 && <h3>The original sources</h3>}
      {props.sources.map((s) => (
        <div key={s.id} className="cite-source">
          <p className="citation">{s.citation}</p>
          <pre id={`cite-source-${s.id}`} className="bibtex">
            {sourceBibtex(s)}
          </pre>
          <CopyButton target={`cite-source-${s.id}`} label="Copy BibTeX" />
        </div>
      ))}
    </details>
  );
}
