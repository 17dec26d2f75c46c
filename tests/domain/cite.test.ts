import { describe, expect, it } from 'vitest';
import { bibtexEscape, chartCitation, sourceBibtex } from '@/lib/domain/cite';

const edm = {
  id: 1,
  title: 'China’s Relations With Kazakhstan Are Warming, But To What End?',
  publisher: 'Eurasia Daily Monitor',
  volume: '1',
  issue: '43',
  publishedOn: '2004-07-01',
  url: 'https://jamestown.org/program/x/',
  citation: 'Eurasia Daily Monitor, Volume 1, Issue 43 (2004).',
  accessedOn: null,
};

describe('cite this', () => {
  it('cites the chart with its URL, the day it was read and its sources', () => {
    const c = chartCitation({
      title: 'Population density',
      url: 'https://sourced.example/indicators/population-density?transform=index',
      accessed: new Date('2026-11-30T10:00:00Z'),
      sources: [edm],
    });
    expect(c.text).toContain('“Population density”');
    expect(c.text).toContain('accessed 2026-11-30');
    expect(c.text).toContain(edm.citation);
    expect(c.bibtex).toMatch(/^@misc\{sourced_population_density_2026,/);
    expect(c.bibtex).toContain('author = {{Sourced}}');
    expect(c.bibtex).toContain(
      'url = {https://sourced.example/indicators/population-density?transform=index}',
    );
    expect(c.bibtex).toContain('urldate = {2026-11-30}');
  });

  it('writes a journal article for a source with a volume and an issue', () => {
    const b = sourceBibtex(edm);
    expect(b).toMatch(/^@article\{eurasia_daily_monitor_2004,/);
    expect(b).toContain('journal = {Eurasia Daily Monitor}');
    expect(b).toContain('volume = {1}');
    expect(b).toContain('number = {43}');
    expect(b.trim().endsWith('}')).toBe(true);
  });

  it('escapes what BibTeX reads as commands', () => {
    expect(bibtexEscape('R&D 50% of $5_000 #1 {x}')).toBe('R\\&D 50\\% of \\$5\\_000 \\#1 \\{x\\}');
    const b = sourceBibtex({ ...edm, volume: null, issue: null, title: 'Oil & gas, 100%' });
    expect(b).toMatch(/^@misc\{/);
    expect(b).toContain('title = {Oil \\& gas, 100\\%}');
  });
});
