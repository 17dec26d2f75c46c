// Sends the Add data form with its file to /api/imports/form, which streams it to the write
// worker (the server never holds the file), and reads the answer as the form's state. The
// typed values still go to the server action (app/data/new/actions.ts).
import type { DataFormState } from '../actions';

/** Whether the form sends a file: then it is uploaded here, not through the server action. */
export function chosenFile(data: FormData): File | null {
  const file = data.get('file');
  return data.get('mode') === 'file' && file instanceof File && file.size > 0 ? file : null;
}

type Answer =
  | { report: DataFormState['report']; chart: DataFormState['chart'] }
  | { error?: string; errors?: DataFormState['fieldErrors'] };

export async function uploadDataForm(
  data: FormData,
  file: File,
  intent: 'preview' | 'save',
  maxUploadMb: number,
): Promise<DataFormState> {
  const empty: DataFormState = { intent, fieldErrors: [], report: null, chart: [], error: null };
  // Said before sending, in the words the server would use, so nothing is sent for nothing.
  if (file.size > maxUploadMb * 1024 * 1024) {
    const message = `is larger than the limit of ${maxUploadMb} MB`;
    return { ...empty, fieldErrors: [{ path: 'file', message }] };
  }
  // The file last: the worker reads the fields before it, then parses the file as it arrives.
  data.delete('file');
  data.append('file', file);
  let response: Response;
  try {
    response = await fetch(`/api/imports/form${intent === 'preview' ? '?dryRun=1' : ''}`, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
    });
  } catch {
    return {
      ...empty,
      error: 'The file could not be sent (the connection failed); nothing was saved.',
    };
  }
  const answer = (await response.json().catch(() => null)) as Answer | null;
  if (answer && 'report' in answer) return { ...empty, report: answer.report, chart: answer.chart };
  // As the server action answers a failure: field errors beside the form, or one message.
  if (answer?.errors?.length) return { ...empty, fieldErrors: answer.errors };
  return {
    ...empty,
    error: answer?.error ?? `The server answered ${response.status}; nothing was saved.`,
  };
}
