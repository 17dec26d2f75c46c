// A PDF's text layer, read with pdf.js (its Node build), as paragraphs: lines that follow
// each other at the line spacing are joined (a word hyphenated at a line's end is joined
// back), a larger gap starts a new paragraph, and each page ends one. A PDF with no text
// layer is a scan: it is refused with that reason, since Sourced does no OCR.
type Item = { str: string; transform: number[]; width: number; height: number; hasEOL?: boolean };
type Line = { text: string; y: number; height: number };

/** Fewer letters than this in the whole file: it is a scanned image, not text. */
const MIN_LETTERS = 20;

const fail = (error: string) => ({ ok: false as const, error });

function pageLines(items: Item[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  let rightEdge = 0;
  for (const item of items) {
    const [, , , , x = 0, y = 0] = item.transform;
    const height = item.height || Math.abs(item.transform[3] ?? 0);
    if (current && Math.abs(current.y - y) > Math.max(current.height, height) / 2) {
      lines.push(current);
      current = null;
    }
    if (!current) current = { text: '', y, height };
    // Text set with gaps instead of space characters still reads as separate words.
    const gap = x - rightEdge;
    if (current.text && gap > height * 0.2 && !/\s$/.test(current.text) && !/^\s/.test(item.str))
      current.text += ' ';
    current.text += item.str;
    current.height = Math.max(current.height, height);
    rightEdge = x + item.width;
    if (item.hasEOL) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines.filter((l) => l.text.trim() !== '');
}

/** Lines at the line spacing form a paragraph; a larger gap starts a new one. */
function paragraphs(lines: Line[]): string {
  let out = '';
  lines.forEach((line, i) => {
    const text = line.text.replace(/\s+/g, ' ').trim();
    const prev = lines[i - 1];
    if (!prev) return void (out = text);
    const gap = prev.y - line.y;
    if (gap < 0 || gap > 1.6 * Math.max(prev.height, line.height)) out += `\n\n${text}`;
    else if (/[A-Za-z]-$/.test(out) && /^[a-z]/.test(text)) out = out.slice(0, -1) + text;
    else out += ` ${text}`;
  });
  return out;
}

export async function pdfText(bytes: Uint8Array, maxChars: number) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes over (detaches) the buffer it is given: it gets a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'PasswordException')
      return fail('The PDF is protected by a password: remove the protection or paste its text.');
    return fail(`The file is not a readable PDF (${(error as Error).message}).`);
  }
  try {
    const pages: string[] = [];
    let chars = 0;
    for (let n = 1; n <= doc.numPages && chars <= maxChars; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = paragraphs(
        pageLines(content.items.flatMap((i) => ('str' in i ? [i as Item] : []))),
      );
      pages.push(text);
      chars += text.length;
      page.cleanup();
    }
    const text = pages.filter((p) => p).join('\n\n');
    if ((text.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS)
      return fail(
        `The PDF has no text layer (${doc.numPages} page${doc.numPages === 1 ? '' : 's'}, no readable text): it is probably a scan. Run it through OCR first, or paste its text.`,
      );
    const info = (await doc.getMetadata().catch(() => null))?.info as
      { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' && info.Title.trim() ? info.Title.trim() : null;
    return { ok: true as const, format: 'pdf' as const, text, title };
  } finally {
    await doc.destroy();
  }
}
