// The import route's multipart body, read on the write worker as it streams in: the server's
// main thread only forwards the request's chunks (lib/write/write-queue.ts submitUpload), and
// never holds the upload. The `file` part goes straight into the streaming parser when the
// `meta` part came first; when it comes after (as browsers and most clients send a form in
// field order), the file's raw bytes wait here until it arrives.
// The Add data form's upload (`kind: 'form'`) is the same body with the form's own fields in
// place of `meta`: they are read into the import's meta as the server action reads them
// (lib/import/data-form.ts), and the page's script sends the file last.
import { once } from 'node:events';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { importMetaSchema, fieldErrors, type FieldError, type ImportMeta } from '../schemas';
import { importsFromStream, maxUploadBytes, type FileImport } from '../import/sources';
import { dataFormMeta, fileFieldError } from '../import/data-form';
import { expandRecipe, type RecipeRow } from '../import/recipes';
import type { Store } from '../store/types';
import { DiskFullError, errorCode } from '../db/errors';

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

/** What the body holds: the API's `meta` JSON part, or the Add data form's fields. */
export type UploadKind = 'api' | 'form';

/** busboy says "limit" on reaching its limit: one byte more than a file may have. */
const fileLimit = () => Math.floor(maxUploadBytes()) + 1;

function tooLarge(kind: UploadKind): UploadRefusal {
  const error = `The file is larger than the limit of ${maxUploadBytes() / 1024 / 1024} MB`;
  // The form names the field, as it names every other.
  return kind === 'form' ? refuse(413, error, [fileFieldError(Infinity)!]) : refuse(413, error);
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

/** The form's fields as the import's meta, or the field errors the form shows. */
function readFormMeta(fields: Map<string, string>): MetaRead {
  const read = dataFormMeta((name) => fields.get(name));
  if (!read.ok) return refuse(400, 'The request is not valid', read.errors);
  return { ok: true, meta: read.meta, recipe: null };
}

/** Where the import's meta is read from: the `meta` part, or the form's fields. */
type MetaSource = {
  /** A text field arrived: kept, or why the body is refused. */
  field(name: string, value: string, truncated: boolean, afterFile: boolean): UploadRefusal | null;
  /** Whether what came so far is the meta (then the file is parsed as it arrives). */
  ready(): boolean;
  read(): Promise<MetaRead>;
  /** The body has no file: why it is refused. */
  noFile(): Promise<UploadRefusal>;
  /** A browser sends a file field with no file chosen as an empty part with no file name. */
  unchosenIsNoFile: boolean;
};

function apiMeta(db: Store | undefined): MetaSource {
  let text: string | null = null;
  return {
    field(name, value, truncated) {
      if (name !== 'meta') return null;
      if (truncated) return refuse(400, 'The "meta" part is larger than 1 MB');
      text = value;
      return null;
    },
    ready: () => text !== null,
    read: () => readMeta(text, db),
    noFile: async () => refuse(400, 'The "file" part is missing'),
    unchosenIsNoFile: false,
  };
}

function formMeta(): MetaSource {
  const fields = new Map<string, string>();
  return {
    field(name, value, truncated, afterFile) {
      if (truncated) return refuse(400, `The "${name}" field is larger than 1 MB`);
      // The file is parsed with the fields before it: one after it would be ignored.
      if (afterFile)
        return refuse(400, `The "${name}" field came after the file; send the file last`);
      fields.set(name, value);
      return null;
    },
    ready: () => true,
    read: async () => readFormMeta(fields),
    // As the server action answered: the fields' errors first, then the file's.
    noFile: async () => {
      const m = readFormMeta(fields);
      return m.ok ? refuse(400, 'The request is not valid', [fileFieldError(null)!]) : m;
    },
    unchosenIsNoFile: true,
  };
}

const METAS: Record<UploadKind, (db: Store | undefined) => MetaSource> = {
  api: apiMeta,
  form: () => formMeta(),
};

/**
 * Reads a multipart/form-data body with a `file` part and a JSON `meta` part (or, for the
 * form, its fields) into the file's imports, or says why the request is refused (the same
 * answers the route gave when it read the whole body itself).
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
  kind: UploadKind = 'api',
): Promise<Upload> {
  const received = await readBody(body, contentType, kind, db, { sizeHint }, signal);
  if (!received) return refuse(400, 'The body is not valid multipart/form-data');
  const { source, read, failed } = received;
  // A parse already started ends with the file's stream; it is waited for whatever follows.
  const parsed = read.parsing ? await read.parsing.catch(() => null) : null;
  const refused = await refusalOf(read, source, failed, kind);
  if (refused) return refused;
  if (parsed && read.meta)
    return { ok: true, meta: read.meta, imports: parsed, recipe: read.recipe };
  const m = await source.read();
  if (!m.ok) return m;
  const chunks: Buffer[] = read.held ?? [];
  read.held = null;
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const imports = await importsFromStream(drain(chunks), m.meta, size);
  return { ok: true, meta: m.meta, imports, recipe: m.recipe };
}

/**
 * The body read to its end, its file part into `sink`: what its parts said, and whether the
 * read failed; null when its Content-Type is not multipart/form-data.
 */
async function readBody(
  body: AsyncIterable<Uint8Array>,
  contentType: string,
  kind: UploadKind,
  db: Store | undefined,
  sink: FileSink,
  signal: AbortSignal | undefined,
) {
  const parser = parserFor(contentType, kind);
  if (!parser) return null;
  const source = METAS[kind](db);
  const read = readParts(parser, source, sink);
  const failed = await feed(parser, body, signal);
  return { source, read, failed };
}

/** A parser for the body, or null when its Content-Type is not multipart/form-data. */
function parserFor(contentType: string, kind: UploadKind): busboy.Busboy | null {
  try {
    return busboy({
      headers: { 'content-type': contentType },
      limits: {
        files: 1,
        // The form sends each of its fields; the API one.
        fields: kind === 'form' ? 200 : 20,
        fieldSize: 1024 * 1024,
        fileSize: fileLimit(),
      },
    });
  } catch {
    return null;
  }
}

/** Why the body, read whole, is refused: the same answers in the same order on every path. */
async function refusalOf(
  read: Parts,
  source: MetaSource,
  failed: boolean,
  kind: UploadKind,
): Promise<UploadRefusal | null> {
  if (failed) return refuse(400, 'The body is not valid multipart/form-data');
  if (read.overLimit) return tooLarge(kind);
  if (read.refusal) return read.refusal;
  if (!read.sawFile) return source.noFile();
  return null;
}

export type SpilledUpload =
  { ok: true; meta: ImportMeta; recipe: RecipeRow | null } | UploadRefusal;

/**
 * Reads the body as readUpload does, but writes the `file` part to `file` on disk instead
 * of parsing it: an import that writes as it reads (lib/import/speculative/commit-file.ts)
 * then reads it from there, once the whole body is in, and again if its guess fails. The
 * database is not held while a slow client sends.
 */
export async function spillUpload(
  body: AsyncIterable<Uint8Array>,
  contentType: string,
  file: string,
  signal?: AbortSignal,
  db?: Store,
  kind: UploadKind = 'api',
): Promise<SpilledUpload> {
  const received = await readBody(body, contentType, kind, db, { spillTo: file }, signal);
  if (!received) return refuse(400, 'The body is not valid multipart/form-data');
  const { source, read, failed } = received;
  const spillFailure = read.spilling
    ? await read.spilling.then(
        () => null,
        (e: unknown) => e,
      )
    : null;
  const refused = await refusalOf(read, source, failed, kind);
  if (refused) return refused;
  // A file that could not be written (a full disk) fails the upload, as a write would.
  if (spillFailure) throw spillFailure;
  return source.read();
}

/** What the parts said, filled in as busboy reads them. */
type Parts = {
  meta: ImportMeta | null;
  recipe: RecipeRow | null;
  refusal: UploadRefusal | null;
  sawFile: boolean;
  overLimit: boolean;
  /** The file's bytes, while the meta is still to come. */
  held: Buffer[] | null;
  /** The file's parse, started once the meta was read. */
  parsing: Promise<FileImport | null> | null;
  /** The file's bytes written to disk (spillUpload): settled once all are. */
  spilling: Promise<void> | null;
};

type FileSink = { sizeHint: number } | { spillTo: string };

function readParts(parser: busboy.Busboy, source: MetaSource, sink: FileSink): Parts {
  const parts: Parts = {
    meta: null,
    recipe: null,
    refusal: null,
    sawFile: false,
    overLimit: false,
    held: null,
    parsing: null,
    spilling: null,
  };
  parser.on('field', (name, value, info) => {
    const refused = source.field(name, value, info.valueTruncated, parts.sawFile);
    if (refused) parts.refusal ??= refused;
  });
  parser.on('file', (name, stream: Readable, info) => {
    const unchosen = source.unchosenIsNoFile && !info.filename;
    if (name !== 'file' || parts.sawFile || unchosen) {
      stream.resume();
      return;
    }
    parts.sawFile = true;
    stream.on('limit', () => (parts.overLimit = true));
    // An abandoned upload ends the stream with an error; its reader hears of it, or no one.
    stream.on('error', () => {});
    if ('spillTo' in sink) {
      parts.spilling = spill(stream, sink.spillTo);
      return;
    }
    const { sizeHint } = sink;
    if (source.ready()) {
      // The stream waits (paused) while a recipe is looked up; it is parsed as it arrives.
      parts.parsing = source
        .read()
        .then((m) => {
          if (!m.ok) {
            parts.refusal ??= m;
            return null;
          }
          ({ meta: parts.meta, recipe: parts.recipe } = m);
          return importsFromStream(stream, m.meta, sizeHint);
        })
        // A parse that ends early (or never starts) leaves the rest to be drained.
        .finally(() => stream.resume());
      return;
    }
    const held: Buffer[] = [];
    parts.held = held;
    stream.on('data', (chunk: Buffer) => held.push(chunk));
  });
  return parts;
}

/**
 * Writes a file part to disk as it arrives, settled once it is written. Written synchronously (the
 * write worker's thread, chunks of busboy's size): a write that fails (a full disk) is
 * remembered and the rest of the part is read and dropped, so the body is still read to its end.
 */
function spill(stream: Readable, file: string): Promise<void> {
  let failure: unknown = null;
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'w');
  } catch (error) {
    failure = error;
  }
  stream.on('data', (chunk: Buffer) => {
    if (failure !== null || fd === null) return;
    try {
      fs.writeSync(fd, chunk);
    } catch (error) {
      failure = error;
    }
  });
  return new Promise((resolve, reject) => {
    const done = () => {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
      if (failure === null) resolve();
      else reject(errorCode(failure) === 'ENOSPC' ? new DiskFullError() : failure);
    };
    stream.on('end', done);
    // Abandoned: the body's parse says so; what was written is the caller's to remove.
    stream.on('error', () => {
      failure ??= new Error('The upload was abandoned');
      done();
    });
  });
}

/** Writes the body into the parser as it arrives; true when it failed or was abandoned. */
async function feed(
  parser: busboy.Busboy,
  body: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
): Promise<boolean> {
  let failed = false;
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
  } finally {
    signal?.removeEventListener('abort', abandon);
  }
  return failed;
}

/** Yields the chunks and lets go of each once read. */
function* drain(chunks: Buffer[]): Generator<Uint8Array> {
  while (chunks.length > 0) yield chunks.shift()!;
}
