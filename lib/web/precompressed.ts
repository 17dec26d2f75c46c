// Bodies compressed before they reach Next.js: the full CSV export is gzipped on the
// threads that write it (lib/export/export-thread.ts), where it costs no time on the
// server's thread. Next.js drops a Content-Encoding set by a route handler (it cannot
// know that the body was not decoded on the way: next/dist/server/send-response.js),
// so such a route names its encoding in PRECOMPRESSED_HEADER, and the request gate
// (lib/web/request-gate.ts) turns that header into Content-Encoding the moment Next.js
// copies it onto the response: Next.js's compression, which decides when the head is
// written, then finds the body encoded already and leaves it alone.
import type http from 'node:http';

export const PRECOMPRESSED_HEADER = 'x-sourced-content-encoding';

/** Response headers for a body already compressed with `encoding`. */
export function precompressedHeaders(encoding: 'gzip'): Record<string, string> {
  return { [PRECOMPRESSED_HEADER]: encoding, Vary: 'Accept-Encoding' };
}

type SetHeader = (
  this: http.ServerResponse,
  name: string,
  value: number | string | readonly string[],
) => http.ServerResponse;

/** Makes `res` send PRECOMPRESSED_HEADER as Content-Encoding. */
export function restoreContentEncoding(res: http.ServerResponse): void {
  for (const method of ['setHeader', 'appendHeader'] as const) {
    const original = res[method] as unknown as SetHeader;
    (res as unknown as Record<typeof method, SetHeader>)[method] = function (name, value) {
      if (name.toLowerCase() !== PRECOMPRESSED_HEADER) return original.call(this, name, value);
      return this.setHeader('Content-Encoding', value);
    };
  }
}
