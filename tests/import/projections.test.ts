// Projections inside observed files (mapping.projections): a column whose values mark
// projections, or a year after which values are estimates, splits a file's values into an
// observed series and a projection series.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkQueue } from '@/lib/write/upload';
import { runUploadJob, type WriteOutcome } from '@/lib/write/write-job';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

// An IMF-style national file: one country, a "Type" column marking the projections.
const marked = [
  'Year,GDP growth,Type',
  '2021,3.7,Actual',
  '2022,1.8,Actual',
  '2023,-0.3,Projection',
  '2024,0.2,Projection',
].join('\n');

const meta = (mapping: Record<string, unknown>) => ({
  indicator: { slug: 'growth-split', title: 'Growth', unitLong: 'percent', unitShort: '%' },
  kind: 'observed',
  unit: '%',
  entity: 'DEU',
  createEntities: true,
  mapping: { period: 'Year', values: ['GDP growth'], ...mapping },
  source: { title: 'World Economic Outlook', producer: 'IMF', url: 'https://example.org/weo' },
});

async function multipart(parts: [string, string | Blob][]) {
  const form = new FormData();
  for (const [name, value] of parts) form.append(name, value);
  const response = new Response(form);
  const queue = new ChunkQueue();
  queue.push(new Uint8Array(await response.arrayBuffer()));
  queue.end();
  return { body: queue, contentType: response.headers.get('content-type')! };
}

describe('projections inside an observed file', () => {
  let scratch: ScratchDb;
  beforeEach(async () => {
    scratch = await createScratchDb();
  });
  afterEach(() => scratch.cleanup());

  const upload = async (m: unknown, csv: string) => {
    const { body, contentType } = await multipart([
      ['meta', JSON.stringify(m)],
      ['file', new Blob([csv], { type: 'text/csv' })],
    ]);
    return runUploadJob(scratch.store, body, contentType, false);
  };
  const report = (o: WriteOutcome) => {
    if (!o.ok || !('report' in o)) throw new Error(`not a report: ${JSON.stringify(o)}`);
    return o.report;
  };
  const stored = () =>
    scratch.query<{ kind: string; label: string; period: string; value: number }>(
      `SELECT s.kind, s.label, o.period, o.value FROM "Observation" o
       JOIN "Series" s ON s.id = o."seriesId" ORDER BY s.kind, o.period`,
    );

  it('splits by a column whose values mark projections', async () => {
    const r = report(
      await upload(meta({ projections: { column: 'Type', values: ['Projection'] } }), marked),
    );
    expect(r).toMatchObject({ ok: true, committed: true, counts: { added: 4 } });
    expect(await stored()).toEqual([
      { kind: 'observed', label: 'IMF (Germany)', period: '2021', value: 3.7 },
      { kind: 'observed', label: 'IMF (Germany)', period: '2022', value: 1.8 },
      { kind: 'projection', label: 'IMF (Germany)', period: '2023', value: -0.3 },
      { kind: 'projection', label: 'IMF (Germany)', period: '2024', value: 0.2 },
    ]);
    expect(r.file?.mapping?.projections).toEqual({ column: 'Type', values: ['Projection'] });
  });

  it('splits by a year: values after it are projections', async () => {
    const file = marked.replace(/,(Actual|Projection)/g, '').replace(',Type', '');
    const r = report(await upload(meta({ projections: { after: '2022' } }), file));
    expect(r).toMatchObject({ ok: true, counts: { added: 4 } });
    expect((await stored()).map((o) => `${o.kind} ${o.period}`)).toEqual([
      'observed 2021',
      'observed 2022',
      'projection 2023',
      'projection 2024',
    ]);
  });

  it('leaves a file without projections whole', async () => {
    const r = report(await upload(meta({ projections: { after: '2030' } }), marked));
    expect(r.entities).toHaveLength(1);
    expect((await stored()).every((o) => o.kind === 'observed')).toBe(true);
  });

  it('refuses a projections column without its values, naming the field, and writes nothing', async () => {
    const outcome = await upload(meta({ projections: { column: 'Type' } }), marked);
    expect(outcome).toMatchObject({
      ok: false,
      status: 400,
      errors: [
        {
          path: 'mapping.projections',
          message:
            'a projections column needs the values that mark projections, and values a column',
        },
      ],
    });
    expect(await stored()).toEqual([]);
  });

  it('names a projections column the file does not have', async () => {
    const r = report(
      await upload(meta({ projections: { column: 'Scenario', values: ['SSP2'] } }), marked),
    );
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.reason).join('\n')).toMatch(/mapping\.projections: .*Scenario/);
    expect(await stored()).toEqual([]);
  });
});
