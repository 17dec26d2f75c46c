// The claim form's fields as a claim write: the manual form (select a sentence) and the
// review of proposed claims post the same fields and go through this one mapping, the
// same schema and the same job on the write worker.
import 'server-only';
import { formText, formWrite } from '../api/form-writes';
import type { CreatedClaim } from '../documents/writes';
import { runClaimWrite } from './routes';
import { claimInputSchema } from './schemas';

export function writeClaimForm(form: FormData) {
  const start = formText(form, 'quoteStart');
  const value = formText(form, 'value')?.trim().replace(/,/g, '') ?? '';
  return formWrite(
    form,
    claimInputSchema,
    {
      source: formText(form, 'source'),
      quote: {
        text: formText(form, 'quote') ?? '',
        startOffset: start ? Number(start) : undefined,
      },
      speaker: formText(form, 'speaker'),
      citedOutlet: formText(form, 'citedOutlet'),
      attribution: formText(form, 'attribution'),
      indicator: formText(form, 'indicator') ?? '',
      entity: formText(form, 'entity') ?? '',
      entityName: formText(form, 'entityName'),
      kind: formText(form, 'kind'),
      period: formText(form, 'period') ?? '',
      value: value === '' ? undefined : Number(value),
      unit: formText(form, 'unit'),
      label: formText(form, 'label'),
      note: formText(form, 'note'),
    },
    (input) => runClaimWrite<CreatedClaim>({ type: 'claim', input }),
  );
}
