// The extraction thread: runs the extractor (lib/extract, pure and CPU-bound) away from
// the server's event loop, one text at a time. Its models load once, here.
import { parentPort } from 'node:worker_threads';
import { extract, type ClaimOptions } from '../extract';

export type ExtractRequest = { id: number; text: string; options: ClaimOptions };
export type ExtractReply =
  | { id: number; ok: true; result: ReturnType<typeof extract> }
  | { id: number; ok: false; message: string };

parentPort!.on('message', ({ id, text, options }: ExtractRequest) => {
  let reply: ExtractReply;
  try {
    reply = { id, ok: true, result: extract(text, options) };
  } catch (error) {
    reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
