import type { Metadata } from 'next';
import Link from 'next/link';
import { isEditor } from '@/lib/web/auth';
import { listEntities, listIndicatorOptions } from '@/lib/read/catalog';
import { FORMAT_LABELS } from '@/lib/formats';
import { maxUploadBytes } from '@/lib/import/sources';
import { listRecipeOptions } from '@/lib/import/recipe-options';
import { DataForm } from './form/data-form';

export const metadata: Metadata = { title: 'Add data' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AddDataPage({ searchParams }: Props) {
  const query = await searchParams;
  const preselected = typeof query.indicator === 'string' ? query.indicator : undefined;
  if (!(await isEditor())) {
    const next = `/data/new${preselected ? `?indicator=${encodeURIComponent(preselected)}` : ''}`;
    return (
      <>
        <h1>Add data</h1>
        <p>
          Adding data needs the editor token.{' '}
          <Link href={`/login?next=${encodeURIComponent(next)}`}>Log in as editor</Link>
        </p>
      </>
    );
  }
  const [indicators, entities, recipes] = await Promise.all([
    listIndicatorOptions(),
    listEntities(),
    listRecipeOptions(),
  ]);
  return (
    <>
      <p className="meta">
        <Link href="/">Indicators</Link> › Add data
      </p>
      <h1>Add data</h1>
      <p className="lede">
        Add observed values or other projections next to the article’s figures: type them in, or
        upload the file you downloaded (World Bank, DataBank, Our World in Data, FRED, UNdata, a
        panel or any table, as CSV or Excel). Files in other layouts get a column mapping step.
        Preview first; nothing is saved until you press Save, and then everything is saved at once
        or nothing is.
      </p>
      <DataForm
        indicators={indicators}
        entities={entities}
        preselected={preselected}
        formats={Object.entries(FORMAT_LABELS).map(([value, label]) => ({ value, label }))}
        maxUploadMb={maxUploadBytes() / 1024 / 1024}
        recipes={recipes}
      />
    </>
  );
}
