'use client';

import { startTransition, useActionState, useEffect, useRef, useState, useTransition } from 'react';
import type { ColumnMapping } from '@/lib/formats/mapping';
import { submitData, type DataFormState } from '../actions';
import { ImportReportView } from './import-report';
import { IndicatorFields, type IndicatorOption } from './indicator-fields';
import { MappingStep } from './mapping-step';
import { ProvenanceFields } from './provenance-fields';
import { RecipePicker } from './recipe-picker';
import { VintageChoice } from './vintage-choice';
import type { RecipeOption } from '@/lib/import/recipe-options';
import { ValuesFields } from './values-fields';
import { chosenFile, uploadDataForm } from './upload';

type Props = {
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
  preselected?: string;
  formats: { value: string; label: string }[];
  maxUploadMb: number;
  recipes: RecipeOption[];
};

const initial: DataFormState = {
  intent: null,
  fieldErrors: [],
  report: null,
  chart: [],
  error: null,
};

/** The Add data page's form: what to add to, provenance, values, the mapping step, the report. */
export function DataForm({
  indicators,
  entities,
  preselected,
  formats,
  maxUploadMb,
  recipes,
}: Props) {
  // Typed values go to the server action (which also answers a browser without JavaScript);
  // a file is streamed to /api/imports/form. The form shows whichever answered last.
  const [actionState, formAction, actionPending] = useActionState(submitData, initial);
  const [uploadState, setUploadState] = useState<DataFormState | null>(null);
  const [uploading, startUpload] = useTransition();
  const state = uploadState ?? actionState;
  const pending = actionPending || uploading;
  // Save is offered for exactly what was last previewed: any edit asks for a new preview.
  const [dirty, setDirty] = useState(true);
  // The mapping step's choices; sent with every submit, reset when another file is chosen.
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [autoPreview, setAutoPreview] = useState(0);
  const [recipe, setRecipe] = useState<RecipeOption | null>(null);
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
        const intent = submitter?.value === 'save' ? 'save' : 'preview';
        data.set('intent', intent);
        if (intent === 'preview') setDirty(false);
        const file = chosenFile(data);
        if (!file) {
          setUploadState(null);
          startTransition(() => formAction(data));
          return;
        }
        startUpload(async () => {
          const next = await uploadDataForm(data, file, intent, maxUploadMb);
          startUpload(() => setUploadState(next));
        });
      }}
    >
      <RecipePicker
        recipes={recipes}
        chosen={recipe}
        onChoose={(r) => {
          setRecipe(r);
          // The recipe's mapping is the step's answers until the user changes one.
          setMapping(r?.recipe.mapping ?? {});
          setDirty(true);
        }}
      />
      {/* Keyed by the recipe: choosing one fills the fields afresh with its answers. */}
      <IndicatorFields
        key={`indicator-${recipe?.id ?? ''}`}
        indicators={indicators}
        entities={entities}
        preselected={preselected}
        recipe={recipe?.recipe}
      />
      <ProvenanceFields
        key={`source-${recipe?.id ?? ''}`}
        defaults={recipe?.source}
        suggestedSource={report?.file?.sources[0] ?? null}
        lastUpdated={report?.file?.lastUpdated ?? null}
      />
      <ValuesFields
        formats={formats}
        maxUploadMb={maxUploadMb}
        report={report}
        onFileChange={() => setMapping(recipe?.recipe.mapping ?? {})}
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

      <VintageChoice report={report} />

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
        <label className="field inline">
          Save as a recipe (optional)
          <input
            name="saveRecipe"
            data-testid="save-recipe"
            placeholder="e.g. WDI density, yearly"
            defaultValue={recipe?.name}
            maxLength={100}
          />
        </label>
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
