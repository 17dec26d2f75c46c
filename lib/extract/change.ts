// What a quantity says about the value: exactly (=), roughly (~), a bound (> or <) or a
// movement (up, down). The cue is read from the few words before the number, back to the
// previous number or clause break; the cue nearest the number wins, so "rose by nearly a
// third" is approximate and "could rise by up to 1 metre" is a bound.

export type Change = '=' | '~' | '>' | '<' | 'up' | 'down';

const CUES: [Change, string][] = [
  ['<', 'less than|under|below|at most|up to|fewer than|no more than|not more than|just under|as few as|as little as|lower than|a maximum of'],
  ['>', 'more than|over|above|at least|exceeding|exceeds?|exceeded|upwards of|in excess of|topped|tops|top|passed|surpassed|greater than|just over|as many as|as much as|higher than|a minimum of|no less than|no fewer than'],
  ['~', 'about|around|roughly|approximately|approx\\.?|nearly|almost|some|an estimated|estimated|close to|circa|c\\.|or so'],
  ['up', 'rose|rise|rises|rising|risen|increased|increase|increases|increasing|grew|grow|grows|growing|grown|climbed|climb|climbs|climbing|jumped|jump|jumps|up|gained|gain|gains|surged|surge|surges|soared|soar|raised|raise|raises|expanded|expand|expands|added|improved|rebounded|advanced|widened|accelerated|doubled|tripled|boosted'],
  ['down', 'fell|fall|falls|falling|fallen|decreased|decrease|decreases|dropped|drop|drops|declined|decline|declines|down|cut|cuts|shrank|shrink|shrinks|shrunk|slumped|slump|plunged|plunge|plummeted|tumbled|slid|sank|eased|eases|narrowed|lost|lose|loses|lowered|reduced|reduce|contracted|contract|slowed|dipped|shed|slashed'],
];

// Each cue as a regular expression anchored at the end of the text before the number, with up
// to three filler words between ("rose by an average of").
const CUE_RES: [Change, RegExp][] = CUES.map(([change, words]) => [
  change,
  new RegExp(`\\b(?:${words})\\b((?:\\s+[\\w'’-]+){0,4}?)\\s*[$€£¥]?$`, 'i'),
]);

// Words a filler may not contain: they start a new clause or refer to another number.
const BREAK = /\b(?:and|but|while|whereas|which|that|from|since|than|the next|the past|the last)\b/i;

/** "over the next five years" is a period, not a bound. */
function isPeriodOver(before: string): boolean {
  return /\bover\s+(?:the\s+)?(?:next|past|last|coming|first|previous)\s+$/i.test(before);
}

/** The change cue in `before`, the text between the previous number (or clause) and this one. */
export function changeCue(before: string): Change {
  if (isPeriodOver(before)) return '=';
  let best: { change: Change; distance: number } | null = null;
  for (const [change, re] of CUE_RES) {
    const m = re.exec(before);
    if (!m) continue;
    const filler = m[1] ?? '';
    if (BREAK.test(filler)) continue;
    const distance = filler.trim() === '' ? 0 : filler.trim().split(/\s+/).length;
    if (!best || distance < best.distance) best = { change, distance };
  }
  return best?.change ?? '=';
}
