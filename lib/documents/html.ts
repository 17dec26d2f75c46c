// A web page's main text: Readability picks the article out of the page (navigation, ads
// and footers dropped), then block elements become paragraphs, so that sentences are not
// run together across headings and list items.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

const BLOCKS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TR',
  'UL',
]);
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG']);

type DomNode = {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
};

/** Text with a paragraph break around every block element and a line break for <br>. */
function blockText(root: DomNode): string {
  const out: string[] = [];
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      out.push((node.textContent ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1 || SKIPPED.has(node.nodeName)) return;
    if (node.nodeName === 'BR') return void out.push('\n');
    const block = BLOCKS.has(node.nodeName) || node.nodeName === 'TD' || node.nodeName === 'TH';
    if (block) out.push('\n\n');
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!);
    if (block) out.push('\n\n');
  };
  walk(root);
  return out
    .join('')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

export function htmlText(html: string): { text: string; title: string | null } {
  const { document } = parseHTML(html);
  const title = document.querySelector('title')?.textContent?.trim() || null;
  // Readability changes the document it reads: it gets its own copy.
  const article = new Readability(parseHTML(html).document as unknown as Document).parse();
  if (article?.content) {
    const { document: content } = parseHTML(
      `<!doctype html><html><body>${article.content}</body></html>`,
    );
    const text = blockText(content.body as unknown as DomNode);
    if (text.trim()) return { text, title: article.title?.trim() || title };
  }
  // A page too short for Readability to call an article: its body, without scripts and styles.
  return { text: document.body ? blockText(document.body as unknown as DomNode) : '', title };
}
