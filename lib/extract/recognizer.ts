// Written-out numbers ("twelve million", "two-thirds", "a dozen") through Microsoft's
// Recognizers-Text number model. Building the model compiles hundreds of regular expressions
// (~30 ms), so it is built once, on first use, and shared; its parse of one sentence then takes
// well under a millisecond. Digits are read by our own rules (numbers.ts): the model misses
// "1.2bn" and reads "2004-06" and "COVID-19" as numbers, which our filters would undo anyway.
import { Culture, NumberRecognizer } from '@microsoft/recognizers-text-number';

type Model = ReturnType<NumberRecognizer['getNumberModel']>;

let model: Model | null = null;

function numberModel(): Model {
  if (!model) model = new NumberRecognizer(Culture.English).getNumberModel();
  return model;
}

export type WordNumber = { start: number; end: number; value: number };

// Only sentences with a number word are worth the model's time.
const NUMBER_WORD =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths)\b/i;

/** Numbers written (at least partly) in words, with offsets relative to `text`. */
export function wordNumbers(text: string): WordNumber[] {
  if (!NUMBER_WORD.test(text)) return [];
  const out: WordNumber[] = [];
  for (const r of numberModel().parse(text)) {
    const value = Number((r.resolution as { value?: string }).value);
    // The model's `end` is inclusive.
    const span = { start: r.start, end: r.end + 1 };
    if (!Number.isFinite(value) || !/\p{L}/u.test(text.slice(span.start, span.end))) continue;
    out.push({ ...span, value });
  }
  return out;
}
