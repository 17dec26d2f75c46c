// A document in the form people have it (.txt, .html, .pdf, .docx) read into the plain
// text Sourced stores: quotes' offsets point into that text, so it is what an editor sees
// and selects from. Pure: bytes in, text or a reason out; no database, no network.
import { unzipSync } from 'fflate';
import { decodeFile } from '../formats/encoding';
import { htmlText } from './html';
import { pdfText } from './pdf';

export type DocumentFormat = 'txt' | 'html' | 'pdf' | 'docx';

/** The largest file read (bytes): a long report as PDF is a few megabytes. */
export const MAX_DOCUMENT_FILE_BYTES = 20 * 1024 * 1024;
/** What a .docx may unpack to: its declared sizes are checked before anything is inflated. */
const MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024;

export type ParsedDocument = {
  format: DocumentFormat;
  text: string;
  /** The title the file declares (HTML <title>, the PDF's metadata), when it has one. */
  title: string | null;
};

export type ParseResult = ({ ok: true } & ParsedDocument) | { ok: false; error: string };

export type DocumentFile = { name: string; type?: string; bytes: Uint8Array };

const fail = (error: string): ParseResult => ({ ok: false, error });

function startsWith(bytes: Uint8Array, ascii: string): boolean {
  for (let i = 0; i < ascii.length; i++) if (bytes[i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** The format by the file's first bytes, then its name and type: a renamed PDF is still a PDF. */
export function detectFormat(file: DocumentFile): DocumentFormat | null {
  const { bytes } = file;
  const name = file.name.toLowerCase();
  const type = (file.type ?? '').toLowerCase();
  if (startsWith(bytes, '%PDF-')) return 'pdf';
  if (startsWith(bytes, 'PK\u0003\u0004'))
    return name.endsWith('.docx') || type.includes('word') ? 'docx' : null;
  if (/\.x?html?$/.test(name) || type.includes('html')) return 'html';
  if (/\.(?:txt|text|md)$/.test(name) || type.startsWith('text/plain')) return 'txt';
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'html';
  return null;
}

/** Line breaks as LF, no NULs, no trailing spaces on lines, at most one blank line in a row. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u0000/g, '')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  const decoded = decodeFile(bytes);
  if ('error' in decoded) return { ok: false, error: decoded.error };
  return { ok: true, text: new TextDecoder().decode(decoded.bytes) };
}

async function docxText(bytes: Uint8Array): Promise<ParseResult> {
  let unpacked = 0;
  let hasBody = false;
  try {
    unzipSync(bytes, {
      filter: (f) => {
        unpacked += f.originalSize;
        if (f.name === 'word/document.xml') hasBody = true;
        return false;
      },
    });
  } catch {
    return fail('The .docx file is damaged: it is not a readable ZIP archive.');
  }
  if (!hasBody)
    return fail('The file is a ZIP archive but not a Word document (no word/document.xml).');
  if (unpacked > MAX_DOCX_UNPACKED_BYTES)
    return fail(
      `The .docx file unpacks to ${Math.round(unpacked / 1e6)} MB, more than ${MAX_DOCX_UNPACKED_BYTES / 1e6} MB.`,
    );
  const mammoth = await import('mammoth');
  try {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return { ok: true, format: 'docx', text: value, title: null };
  } catch (error) {
    return fail(`The .docx file could not be read: ${(error as Error).message}`);
  }
}

async function readFormat(format: DocumentFormat, bytes: Uint8Array, maxChars: number) {
  if (format === 'pdf') return pdfText(bytes, maxChars);
  if (format === 'docx') return docxText(bytes);
  const decoded = decodeText(bytes);
  if (!decoded.ok) return fail(decoded.error);
  if (format === 'html') return { ok: true as const, format, ...htmlText(decoded.text) };
  return { ok: true as const, format, text: decoded.text, title: null };
}

/**
 * Reads an uploaded document into text. Refuses, with a reason a person can act on, a
 * file that is too large, of an unknown format, unreadable, without text (a scanned PDF)
 * or whose text is longer than `maxChars`.
 */
export async function parseDocument(
  file: DocumentFile,
  options: { maxChars: number; maxBytes?: number },
): Promise<ParseResult> {
  const maxBytes = options.maxBytes ?? MAX_DOCUMENT_FILE_BYTES;
  if (file.bytes.byteLength > maxBytes)
    return fail(
      `The file is ${(file.bytes.byteLength / 1e6).toFixed(1)} MB, more than ${(maxBytes / 1e6).toFixed(0)} MB.`,
    );
  if (file.bytes.byteLength === 0) return fail('The file is empty.');
  const format = detectFormat(file);
  if (!format)
    return fail(
      `“${file.name}” is not a format Sourced reads: upload .txt, .html, .pdf or .docx, or paste the text.`,
    );
  const read = await readFormat(format, file.bytes, options.maxChars);
  if (!read.ok) return read;
  const text = tidyText(read.text);
  if (!text) return fail(`“${file.name}” has no text.`);
  const chars = Array.from(text).length;
  if (chars > options.maxChars)
    return fail(
      `The text of “${file.name}” is ${chars.toLocaleString('en-US')} characters, more than ${options.maxChars.toLocaleString('en-US')}: upload or paste the relevant excerpt.`,
    );
  return { ...read, text };
}
