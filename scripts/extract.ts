// `npm run extract -- <file> [--date YYYY-MM-DD] [--json]`
// Reads a document (.txt, .html, .pdf, .docx: the same reader the upload uses) and prints
// the quantities found and the claims proposed, matched to the indicators a fresh install
// holds (the article's and their operands'). Offline: no database, no network.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ARTICLE_INDICATORS, OPERAND_INDICATORS } from '../lib/article/eurasia-daily-monitor-2004';
import { extractionJson, extractOptions } from '../lib/claims/proposals';
import { extract } from '../lib/extract';
import { MAX_EXTRACT_CHARS } from '../lib/claims/schemas';
import { parseDocument } from '../lib/documents/parse';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: 'boolean', default: false }, date: { type: 'string' } },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const file = positionals[0];
if (!file || positionals.length > 1)
  fail('Usage: npm run extract -- <file.txt|.html|.pdf|.docx> [--date YYYY-MM-DD] [--json]');
if (opts.date !== undefined && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(opts.date))
  fail(`--date: “${opts.date}” is not a date as YYYY, YYYY-MM or YYYY-MM-DD`);

let bytes: Buffer;
try {
  bytes = fs.readFileSync(file);
} catch (error) {
  fail(`${file}: ${(error as Error).message}`);
}
const parsed = await parseDocument(
  { name: path.basename(file), bytes: new Uint8Array(bytes) },
  { maxChars: MAX_EXTRACT_CHARS },
);
if (!parsed.ok) fail(`${file}: ${parsed.error}`);

const indicators = [...ARTICLE_INDICATORS, ...OPERAND_INDICATORS];
const result = extractionJson(
  parsed.text,
  extract(parsed.text, extractOptions(opts.date, indicators)),
);

if (opts.json) {
  process.stdout.write(`${JSON.stringify({ format: parsed.format, ...result }, null, 2)}\n`);
} else {
  const show = (v: unknown) => (typeof v === 'number' ? String(v) : JSON.stringify(v));
  process.stdout.write(
    `${file} (${parsed.format}, ${parsed.text.length.toLocaleString('en-US')} characters): ${result.quantities.length} quantities, ${result.claims.length} proposed claims\n\n`,
  );
  for (const c of result.claims) {
    const ind = 'slug' in c.indicator ? c.indicator.slug : `new: ${c.indicator.proposed.name}`;
    const who = [c.speaker, c.citedOutlet].filter(Boolean).join('; ');
    process.stdout.write(
      `${show(c.value)} ${c.unit ?? ''} · ${ind} · ${c.entity?.code ?? '—'} · ${c.period ?? '—'} · ${c.kind}${who ? ` · ${who}` : ''}\n  “${c.quote.text}” [${c.quote.start}–${c.quote.end}]\n`,
    );
  }
}
