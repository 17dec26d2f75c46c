'use client';

import { startTransition, useActionState, useEffect, useRef, useState } from 'react';
import type { ColumnMapping } from '@/lib/formats/mapping';
import { submitData, type DataFormState } from '../actions';
import { ImportReportView } from './import-report';
import { IndicatorFields, type IndicatorOption } from './indicator-fields';
import { MappingStep } from './mapping-step';
import { ProvenanceFields } from './provenance-fields';
import { ValuesFields } from './values-fields';

type Props = {
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
  preselected?: string;
  formats: { value: string; label: string }[];
  maxUploadMb: number;
};

const initial: DataFormState = {
  intent: null,
  fieldErrors: [],
  report: null,
  chart: [],
  error: null,
};

/** The Add data page's form: what to add to, provenance, values, the mapping step, the report. */
export function DataForm({ indicators, entities, preselected, formats, maxUploadMb }: Props) {
  const [state, formAction, pending] = useActionState(submitData, initial);
  // Save is offered for exactly what was last previewed: any edit asks for a new preview.
  const [dirty, setDirty] = useState(true);
  // The mapping step's choices; sent with every submit, reset when another file is chosen.
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [autoPreview, setAutoPreview] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const previewRef = useRef<HTMLButtonElement>(null);
  const report = state.report;
  const previewed = state.intent === 'preview' && report?.ok && !dirty;
  const saved = state.intent === 'save' && report?.committed;

  // A mapping change previews at once, once the hidden field holds the new mapping.
  useEffect(() => {
    if (autoPreview > 0) formRef.current?.requestSubmit(previewRef.current);
  }, [autoPreview]);

  return (
    <form
      ref={formRef}
      className="data-form"
      action={formAction}
      onChange={() => setDirty(true)}
      onSubmit={(e) => {
        // With JavaScript, submit without React's automatic form reset, so the chosen
        // file and typed values stay for the Save that follows the preview.
        e.preventDefault();
        const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        const data = new FormData(e.currentTarget);
        data.set('intent', submitter?.value ?? 'preview');
        if (submitter?.value === 'preview') setDirty(false);
        startTransition(() => formAction(data));
      }}
    >
      <IndicatorFields indicators={indicators} entities={entities} preselected={preselected} />
      <ProvenanceFields
        suggestedSource={report?.file?.sources[0] ?? null}
        lastUpdated={report?.file?.lastUpdated ?? null}
      />
      <ValuesFields
        formats={formats}
        maxUploadMb={maxUploadMb}
        report={report}
        onFileChange={() => setMapping({})}
      />
      <input type="hidden" name="mapping" value={JSON.stringify(mapping)} />
      {report?.file && (
        <MappingStep
          file={report.file}
          formatLabel={report.formatLabel}
          mapping={mapping}
          onChange={(next) => {
            setMapping(next);
            setDirty(true);
            setAutoPreview((n) => n + 1);
          }}
        />
      )}

      <div className="actions">
        <button
          ref={previewRef}
          type="submit"
          name="intent"
          value="preview"
          className="button primary"
          disabled={pending}
        >
          Preview
        </button>
        <button
          type="submit"
          name="intent"
          value="save"
          className="button"
          disabled={pending || !previewed}
        >
          Save
        </button>
        {pending && <span role="status">Working…</span>}
        {!previewed && !saved && (
          <span className="hint">
            Preview first; Save is enabled once the preview has no problems.
          </span>
        )}
      </div>

      <ImportReportView state={state} />
    </form>
  );
}
