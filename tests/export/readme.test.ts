// The readme.md inside data.zip and the links in downloaded metadata: user text stays
// text, and URLs name the site readers used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DEFAULT_VIEW } from '@/lib/domain/chart-view';
import { escapeMarkdown, exportMetadata, exportReadme } from '@/lib/export/metadata';
import { sqliteReadStore } from '@/lib/read/sqlite';
import { loadIndicatorView } from '@/lib/views/indicator';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const HOSTILE = {
  title: '# Pwned <script>alert(1)</script> [click](javascript:alert(1))',
  description:
    'Line one\n\n## Injected heading\n![tracker](https://evil.example/p.gif) *bold* `code` | a | b |',
  label: '1. ~~struck~~ <img src=x onerror=alert(1)>',
  citation: '> quoted [link](https://evil.example) \\ end',
  license: '<a href="https://evil.example">CC BY</a>',
};

describe('escapeMarkdown', () => {
  it('turns every Markdown construct into literal text on one line', () => {
    expect(escapeMarkdown(HOSTILE.title)).toBe(
      '\\# Pwned \\<script\\>alert(1)\\</script\\> \\[click\\](javascript:alert(1))',
    );
    expect(escapeMarkdown(HOSTILE.description)).toBe(
      'Line one ## Injected heading !\\[tracker\\](https://evil.example/p.gif) \\*bold\\* \\`code\\` \\| a \\| b \\|',
    );
    expect(escapeMarkdown(HOSTILE.label)).toBe(
      '1\\. \\~\\~struck\\~\\~ \\<img src=x onerror=alert(1)\\>',
    );
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('  + item')).toBe('\\+ item');
    expect(escapeMarkdown('===')).toBe('\\===');
    expect(escapeMarkdown('Oil & gas, 2004 (est.)')).toBe('Oil & gas, 2004 (est.)');
    expect(escapeMarkdown(null)).toBe('');
  });
});

describe('the ZIP readme and the metadata', () => {
  let scratch: ScratchDb;
  beforeAll(async () => {
    // SQLite's store: the readme is built from a read connection on the file.
    scratch = await createScratchDb({ seed: true, provider: 'sqlite' });
    const meta = importMetaSchema.parse({
      indicator: {
        slug: 'hostile-text',
        title: HOSTILE.title,
        description: HOSTILE.description,
        unitLong: 'people <b>',
        unitShort: 'p',
      },
      kind: 'observed',
      unit: 'people <b>',
      label: HOSTILE.label,
      createEntities: true,
      source: {
        title: 'Hostile source',
        producer: 'Sourced tests',
        citation: HOSTILE.citation,
        license: HOSTILE.license,
      },
    });
    const report = await commitImport(
      scratch.writer(),
      meta,
      valuesFromObservations('QQQ', [{ period: '2020', value: 1 }], '<i>Entity</i>'),
    );
    expect(report.errors).toEqual([]);
  });
  afterAll(() => scratch.cleanup());

  it('escapes every piece of user text in the readme', async () => {
    const reader = new Database(scratch.file, { readonly: true });
    const view = (await loadIndicatorView(
      'hostile-text',
      DEFAULT_VIEW,
      {},
      sqliteReadStore(reader),
    ))!;
    const meta = exportMetadata(
      view,
      new Date('2026-11-30T00:00:00Z'),
      'https://sourced.example.org',
    );
    reader.close();
    const readme = exportReadme(meta, { chart: 'c.csv', full: 'f.csv', metadata: 'm.json' });
    const lines = readme.split('\n');
    // Only the readme's own headings; user text never starts a block.
    expect(lines.filter((l) => /^\s{0,3}#/.test(l))).toEqual([
      `# ${escapeMarkdown(HOSTILE.title)}`,
      '## Files',
      '## How to cite',
      '## Original producers',
      '## Series',
    ]);
    // No raw tag, link or image survives: every <, [ and ! [ is escaped.
    expect(readme).not.toMatch(/(^|[^\\])<(?!https:\/\/sourced\.example\.org\/)/m);
    expect(readme).not.toMatch(/(^|[^\\])\[/m);
    expect(readme).toContain(
      `- ${escapeMarkdown(HOSTILE.label)} (observed, \\<i\\>Entity\\</i\\>, people \\<b\\>)`,
    );
    expect(readme).toContain(`License: ${escapeMarkdown(HOSTILE.license)}.`);
    expect(readme).toContain(
      'Downloaded from <https://sourced.example.org/indicators/hostile-text>',
    );
    // The JSON keeps the text exactly as typed: escaping is the readme's business.
    expect(meta.indicator.title).toBe(HOSTILE.title);
    expect(meta.indicator.url).toBe('https://sourced.example.org/indicators/hostile-text');
  });
});
