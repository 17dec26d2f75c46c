// A file on disk, committed as the command line commits it: written while it is read
// (./import.ts), so that memory holds a batch of its values, not all of them. When the guess
// fails (a re-import over stored values, a bad row, several series), nothing it wrote is kept
// and the file is read again and imported the ordinary way.
import fs from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import type { ImportMeta } from '../../schemas';
import type { Store } from '../../store/types';
import { commitFileImport } from '../file-import';
import type { ImportReport } from '../import-data';
import { importsFromStream, type FileLimits } from '../sources';
import { SpeculativeImport, type WriterPort } from './import';
import { serveSpeculativeWrites } from './writer';

export type FileCommit = {
  /** The database's URL: a writer of its own opens it. */
  url: string;
  /** Starts the writer; null commits the ordinary way (the file's values held until planned). */
  connect: (() => WriterPort) | null;
  /**
   * Where the plan reads the database as it was before the writer's rows: `db` unless the
   * writer writes through `db` itself (then, on SQLite, another connection).
   */
  planStore?: Store;
  limits?: FileLimits;
  now?: Date;
  /**
   * How much of the file is read at a time, and so each batch the writer is sent (four at
   * most wait for it). The command line's megabyte keeps its writer thread busy; the server,
   * which writes on the thread that reads, holds less with a quarter of that, as fast.
   */
  chunkBytes?: number;
};

export async function commitFileAsRead(
  db: Store,
  file: string,
  meta: ImportMeta,
  options: FileCommit,
): Promise<ImportReport> {
  const now = options.now ?? new Date();
  const size = fs.statSync(file).size;
  const early = options.connect
    ? await SpeculativeImport.start(
        options.planStore ?? db,
        options.url,
        meta,
        now,
        options.connect,
      )
    : null;
  const read = (early: SpeculativeImport | null) =>
    importsFromStream(
      fs.createReadStream(file, { highWaterMark: options.chunkBytes ?? 1024 * 1024 }),
      meta,
      // Sized for the whole file only when it is held whole: written as it is read, the
      // table holds a chunk's values at a time, and grows to that.
      early ? 0 : size,
      early ? (values) => early.feed(values) : undefined,
      options.limits,
    );
  let ended = !early;
  try {
    const imports = await read(early);
    // The writer has committed or rolled back once this answers.
    const report = await early?.finish(imports);
    ended = true;
    // Written values were released as they went: the ordinary import reads the file again.
    return (
      report ?? (await commitFileImport(db, early?.released ? await read(null) : imports, now))
    );
  } finally {
    // A read (or a plan) that failed part way leaves the writer's transaction open: it is
    // rolled back, and the store's other writes (queued behind it) go on.
    if (early && !ended) await early.abandon();
  }
}

/**
 * A writer on this thread that writes through `store`: the server's write worker, whose other
 * writes wait in the store's queue while it holds the transaction, instead of meeting a lock
 * held by a second connection of the same thread (a wait that would block the thread itself).
 */
export function writerThroughStore(store: Store): WriterPort {
  const { port1, port2 } = new MessageChannel();
  void serveSpeculativeWrites(port2, store);
  return {
    postMessage: (message, transfer) => port1.postMessage(message, transfer),
    on: (_event, listener) => port1.on('message', listener),
  };
}
