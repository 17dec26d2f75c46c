import { previewOrCommitUpload, writeRoute } from '@/lib/api/routes';
import { maxUploadBytes } from '@/lib/import/sources';

/** POST multipart/form-data with a `file` part and a JSON `meta` part; `?dryRun=1` previews. */
export const POST = writeRoute(
  // The body streams to the write worker, which reads the form and parses the file as it
  // arrives (lib/write/upload.ts): the server keeps answering, and never holds the upload.
  { contentTypes: ['multipart/form-data'], limit: null },
  // The file limit plus room for the meta part and multipart framing.
  ({ request }) => previewOrCommitUpload(request, maxUploadBytes() + 1024 * 1024),
);
