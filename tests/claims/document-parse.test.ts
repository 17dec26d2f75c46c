// Documents in the forms people have them, read into the text quotes point into: plain
// text in any encoding, a web page's article without its navigation, a PDF's text layer
// as paragraphs, a .docx's paragraphs; and a clear refusal for what cannot be read.
import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseDocument, type ParseResult } from '@/lib/documents/parse';
import { makeDocx, makePdf } from './document-files';

const read = (name: string, bytes: Uint8Array | string, maxChars = 200_000, type?: string) =>
  parseDocument(
    { name, type, bytes: typeof bytes === 'string' ? strToU8(bytes) : bytes },
    { maxChars },
  );

function text(r: ParseResult): string {
  if (!r.ok) throw new Error(r.error);
  return r.text;
}

function error(r: ParseResult): string {
  if (r.ok) throw new Error(`read as ${r.format}: ${r.text.slice(0, 80)}`);
  return r.error;
}

const SENTENCE = 'China will import half of its oil needs by 2010, experts believe.';

describe('plain text', () => {
  it('keeps the text as written, with line breaks as LF and trailing blanks dropped', async () => {
    expect(text(await read('note.txt', `Title\r\n\r\n\r\n\r\n${SENTENCE}  \r\n`))).toBe(
      `Title\n\n${SENTENCE}`,
    );
  });

  it('reads a legacy encoding (windows-1252 quotes) and refuses broken UTF-8', async () => {
    const cp1252 = iconv.encode('The minister said: “We have 130 people per km².”', 'win1252');
    expect(text(await read('note.txt', cp1252))).toBe(
      'The minister said: “We have 130 people per km².”',
    );
    const broken = new Uint8Array([...strToU8('é is fine, '), 0xff, ...strToU8(' this is not')]);
    expect(error(await read('note.txt', broken))).toMatch(/not valid UTF-8/);
  });
});

describe('a web page', () => {
  const page = `<!doctype html><html><head><title>Oil outlook | Example News</title>
    <script>var tracking = "12 million visitors";</script><style>p{color:red}</style></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav>
    <article><h1>Oil outlook</h1>
    <p>${SENTENCE} Demand is expected to rise to 400 million tons by 2020, the agency said in its annual report on the region's energy markets.</p>
    <p>Some 12 million people move from villages to cities every year, according to the statistics office, which publishes its survey each spring.</p>
    <ul><li>Imports grew by 6%.</li><li>Exports fell by 2%.</li></ul>
    </article><footer>Copyright 2024 Example News. 1 Main Street.</footer></body></html>`;

  it('takes the article, one paragraph per block, without navigation, scripts or footer', async () => {
    const r = await read('outlook.html', page);
    const t = text(r);
    expect(t).toContain(`${SENTENCE} Demand is expected`);
    expect(t).toMatch(/cities every year, according to/);
    expect(t).toMatch(/Imports grew by 6%\.\n\nExports fell by 2%\./);
    expect(t).not.toMatch(/Home|tracking|color:red|Copyright/);
    expect(r.ok && r.format).toBe('html');
    expect(r.ok && r.title).toMatch(/Oil outlook/);
  });

  it('reads a short page Readability would not call an article from its body', async () => {
    const t = text(
      await read('short.htm', `<html><body><p>${SENTENCE}</p><script>x=1</script></body></html>`),
    );
    expect(t).toBe(SENTENCE);
  });
});

describe('a PDF', () => {
  it('joins the lines of a paragraph, rejoins hyphenated words, and breaks at gaps and pages', async () => {
    const pdf = makePdf(
      [
        [
          'China will import half of its oil',
          'needs by 2010, experts believe. Con-',
          'sumption will rise.',
          '',
          'Second paragraph (with brackets).',
        ],
        ['The second page.'],
      ],
      'Energy Outlook',
    );
    const r = await read('outlook.pdf', pdf);
    expect(text(r)).toBe(
      `${SENTENCE} Consumption will rise.\n\nSecond paragraph (with brackets).\n\nThe second page.`,
    );
    expect(r.ok && r.title).toBe('Energy Outlook');
  });

  it('refuses a scanned PDF (pages without a text layer), saying so', async () => {
    expect(error(await read('scan.pdf', makePdf([[], []])))).toMatch(
      /no text layer \(2 pages.*probably a scan.*OCR/,
    );
  });

  it('refuses a damaged PDF and one whose text is longer than allowed', async () => {
    expect(error(await read('broken.pdf', '%PDF-1.4\nnot really'))).toMatch(/not a readable PDF/);
    const long = makePdf([[SENTENCE, SENTENCE, SENTENCE]]);
    expect(error(await read('long.pdf', long, 100))).toMatch(/characters, more than 100/);
  });
});

describe('a Word document', () => {
  it('reads its paragraphs', async () => {
    const r = await read('outlook.docx', makeDocx(['Oil outlook', SENTENCE]));
    expect(text(r)).toBe(`Oil outlook\n\n${SENTENCE}`);
    expect(r.ok && r.format).toBe('docx');
  });

  it('refuses a ZIP that is not a Word document', async () => {
    const zip = zipSync({ 'data.csv': strToU8('a,b\n1,2\n') });
    expect(error(await read('data.docx', zip))).toMatch(/not a Word document/);
  });
});

describe('what is refused before reading', () => {
  it('names the file and the formats read, and bounds the size', async () => {
    expect(error(await read('sheet.xlsx', zipSync({ 'a.xml': strToU8('<a/>') })))).toMatch(
      /“sheet\.xlsx” is not a format Sourced reads: upload \.txt, \.html, \.pdf or \.docx/,
    );
    expect(error(await read('empty.txt', ''))).toBe('The file is empty.');
    expect(error(await read('blank.txt', ' \n \n'))).toMatch(/has no text/);
    const big = await parseDocument(
      { name: 'big.txt', bytes: new Uint8Array(2_000_001) },
      { maxChars: 10, maxBytes: 2_000_000 },
    );
    expect(error(big)).toMatch(/2\.0 MB, more than 2 MB/);
  });

  it('recognises a format by its first bytes before its name', () => {
    const pdf = makePdf([[SENTENCE]]);
    expect(detectFormat({ name: 'report.txt', bytes: pdf })).toBe('pdf');
    expect(detectFormat({ name: 'page', bytes: strToU8('  <!DOCTYPE html><p>x') })).toBe('html');
    expect(detectFormat({ name: 'x', type: 'text/plain', bytes: strToU8('x') })).toBe('txt');
    expect(detectFormat({ name: 'x.bin', bytes: strToU8('x') })).toBeNull();
  });
});
