// The import route's multipart body, read on the write worker as it streams in: the server's
// main thread only forwards the request's chunks (lib/write/write-queue.ts submitUpload), and
// never holds the upload. The `file` part goes straight into the streaming parser when the
// `meta` part came first; when it comes after (as browsers and most clients send a form in
// field order), the file's raw bytes wait here until it arrives.
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { importMetaSchema, fieldErrors, type FieldError, type ImportMeta } from '../schemas';
import { importsFromStream, maxUploadBytes, type FileImport } from '../import/sources';
import { expandRecipe, type RecipeRow } from '../import/recipes';
import type { Store } from '../store/types';

/** Chunks handed over one message at a time, read as an async iterable. */
export class ChunkQueue implements AsyncIterable<Uint8Array> {
  private chunks: Uint8Array[] = [];

  /** `onTaken` is told of each chunk the reader takes (the sender's cue for more). */
  constructor(private readonly onTaken: () => void = () => {}) {}

  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  push(chunk: Uint8Array) {
    this.chunks.push(chunk);
    this.notify();
  }
  end() {
    this.ended = true;
    this.notify();
  }
  fail(error: Error) {
    this.failure = error;
    this.notify();
  }
  private notify() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.chunks.shift();
      if (next) {
        this.onTaken();
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

export type UploadRefusal = {
  ok: false;
  status: 400 | 413;
  error: string;
  errors?: FieldError[];
};

export type Upload =
  { ok: true; meta: ImportMeta; imports: FileImport; recipe: RecipeRow | null } | UploadRefusal;

const refuse = (status: 400 | 413, error: string, errors?: FieldError[]): UploadRefusal =>
  errors ? { ok: false, status, error, errors } : { ok: false, status, error };

/** busboy says "limit" on reaching its limit: one byte more than a file may have. */
const fileLimit = () => Math.floor(maxUploadBytes()) + 1;

function tooLarge(): UploadRefusal {
  return refuse(413, `The file is larger than the limit of ${maxUploadBytes() / 1024 / 1024} MB`);
}

type MetaRead = { ok: true; meta: ImportMeta; recipe: RecipeRow | null } | UploadRefusal;

/** The meta part, with the recipe it names (if any) expanded from the store before it is checked. */
async function readMeta(text: string | null, db: Store | undefined): Promise<MetaRead> {
  if (text === null) return refuse(400, 'The "meta" part is missing');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse(400, 'The "meta" part is not valid JSON');
  }
  let recipe: RecipeRow | null = null;
  if (db) {
    const expanded = await expandRecipe(db, json);
    // A recipe the store does not have is the request's to fix: 400, naming it (404 is for URLs).
    if (!expanded.ok) return refuse(400, 'The request is not valid', expanded.errors);
    ({ meta: json, recipe } = expanded);
  }
  const meta = importMetaSchema.safeParse(json);
  if (!meta.success) return refuse(400, 'The request is not valid', fieldErrors(meta.error));
  return { ok: true, meta: meta.data, recipe };
}

/**
 * Reads a multipart/form-data body with a `file` part and a JSON `meta` part into the file's
 * imports, or says why the request is refused (the same answers the route gave when it read
 * the whole body itself).
 */
export async function readUpload(
  body: AsyncIterable<Uint8Array>,
  contentType: string,
  /**
   * The body's length, when declared: the value table is sized for a file of about that
   * size in one allocation, instead of doubling (and copying) its way there.
   */
  sizeHint = 0,
  /** The client went away: the parse stops at its next chunk. */
  signal?: AbortSignal,
  /** Where `meta.recipe` is looked up; without it a recipe is not expanded. */
  db?: Store,
): Promise<Upload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: {
        files: 1,
        fields: 20,
        fieldSize: 1024 * 1024,
        fileSize: fileLimit(),
      },
    });
  } catch {
    return refuse(400, 'The body is not valid multipart/form-data');
  }
  let metaText: string | null = null;
  let meta: ImportMeta | null = null;
  let recipe: RecipeRow | null = null;
  let refusal: UploadRefusal | null = null;
  let sawFile = false;
  let overLimit = false;
  /** The file's bytes, while the meta part is still to come. */
  let held: Buffer[] | null = null;
  let parsing: Promise<FileImport | null> | null = null;
  let failed = false;

  parser.on('field', (name, value, info) => {
    if (name !== 'meta') return;
    if (info.valueTruncated) {
      refusal ??= refuse(400, 'The "meta" part is larger than 1 MB');
      return;
    }
    metaText = value;
  });
  parser.on('file', (name, stream: Readable) => {
    if (name !== 'file' || sawFile) {
      stream.resume();
      return;
    }
    sawFile = true;
    stream.on('limit', () => (overLimit = true));
    // An abandoned upload ends the stream with an error; its reader hears of it, or no one.
    stream.on('error', () => {});
    if (metaText !== null) {
      // The stream waits (paused) while a recipe is looked up; it is parsed as it arrives.
      parsing = readMeta(metaText, db)
        .then((m) => {
          if (!m.ok) {
            refusal ??= m;
            return null;
          }
          ({ meta, recipe } = m);
          return importsFromStream(stream, m.meta, sizeHint);
        })
        // A parse that ends early (or never starts) leaves the rest to be drained.
        .finally(() => stream.resume());
      return;
    }
    held = [];
    stream.on('data', (chunk: Buffer) => held!.push(chunk));
  });
  parser.on('error', () => (failed = true));
  const closed = once(parser, 'close').catch(() => (failed = true));
  // Destroying the parser ends the file's stream with an error, and the parse reading it;
  // the wait for the body's next chunk ends too.
  let stopWaiting: (() => void) | null = null;
  const gone = new Promise<IteratorResult<Uint8Array>>((resolve) => {
    stopWaiting = () => resolve({ done: true, value: undefined });
  });
  const abandon = () => {
    failed = true;
    parser.destroy(new Error('The upload was abandoned'));
    stopWaiting?.();
  };
  if (signal?.aborted) abandon();
  signal?.addEventListener('abort', abandon, { once: true });

  try {
    const incoming = body[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([incoming.next(), gone]);
      if (next.done || failed) break;
      const chunk = next.value;
      const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (!parser.write(buffer)) await Promise.race([once(parser, 'drain'), closed]);
    }
    parser.end();
    if (!failed) await closed;
  } catch {
    failed = true;
  }
  // A parse already started ends with the file's stream; it is waited for whatever follows.
  const parsed = parsing ? await (parsing as Promise<FileImport | null>).catch(() => null) : null;
  if (failed) return refuse(400, 'The body is not valid multipart/form-data');
  if (overLimit) return tooLarge();
  if (refusal) return refusal;
  if (!sawFile) return refuse(400, 'The "file" part is missing');
  if (parsed && meta) return { ok: true, meta, imports: parsed, recipe };
  const m = await readMeta(metaText, db);
  if (!m.ok) return m;
  const chunks: Buffer[] = (held as Buffer[] | null) ?? [];
  held = null;
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const imports = await importsFromStream(drain(chunks), m.meta, size);
  return { ok: true, meta: m.meta, imports, recipe: m.recipe };
}

/** Yields the chunks and lets go of each once read. */
function* drain(chunks: Buffer[]): Generator<Uint8Array> {
  while (chunks.length > 0) yield chunks.shift()!;
}
