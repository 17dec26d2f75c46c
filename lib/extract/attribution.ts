// Who a figure comes from: a speaker named with a verb of saying ("the Chinese foreign
// minister commented", "the UN says", "according to the IEA") and an outlet cited in a
// parenthesis with its date, as news digests do ("(Megapolis, June 24)").

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const CITATION = new RegExp(
  `\\(([^()]{2,80}?),\\s*(${MONTH}\\s+\\d{1,2}(?:,\\s*\\d{4})?|\\d{1,2}\\s+${MONTH}(?:\\s+\\d{4})?)\\)`,
  'u',
);

/** "(Megapolis, June 24)" → "Megapolis, June 24". */
export function citedOutlet(sentence: string): string | null {
  const m = CITATION.exec(sentence);
  return m ? `${m[1]!.trim()}, ${m[2]}` : null;
}

// Verbs of saying, in the forms that are rarely nouns ("states", "reports" often are).
const SAY =
  'said|says|told|tells|commented|stated|noted|added|argued|warned|explained|announced|reported|claimed|declared|insisted|wrote|writes';

// The speaker is the words before the verb of saying, back to the start of the clause.
const SPEAKER = new RegExp(
  `(?:^|[,;:“”"(]\\s*|\\b(?:As|as|and|that|but|while)\\s+)((?:[Tt]he\\s+|[Aa]n?\\s+)?[\\p{L}\\d'’.-]+(?:\\s+[\\p{L}\\d'’.-]+){0,5}?)\\s+(?:${SAY})\\b`,
  'u',
);
const ACCORDING = /\baccording to\s+((?:the\s+)?[\p{L}\d'’.-]+(?:\s+[\p{L}\d'’.-]+){0,6}?)(?=\s*[,.;)]|$)/iu;

// A "speaker" that is a pronoun or a generic word says nothing about the source.
const NOT_SPEAKERS = /^(?:it|he|she|they|we|i|you|this|that|which|who|report|reports|data)$/i;

/** The person or body the sentence attributes its figures to, or null. */
export function speaker(sentence: string): string | null {
  const according = ACCORDING.exec(sentence)?.[1];
  if (according) return according.trim();
  const said = SPEAKER.exec(sentence)?.[1]?.trim();
  const who = said?.replace(/^(?:As|as|and|that|but|while)\s+/, '');
  if (!who || NOT_SPEAKERS.test(who)) return null;
  return who;
}
