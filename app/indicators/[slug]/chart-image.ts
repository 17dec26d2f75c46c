// Chart image downloads, made in the browser from the chart already drawn: the SVG
// as shown, framed so that it reads on its own (title, unit, a legend, the sources and
// the page's URL), and a PNG rendered from it that also carries that text as metadata.
import { textWidth } from '@/lib/domain/chart-layout';
import { chartStyle, LIGHT } from '@/lib/domain/chart-theme';
import { CHART_WANTED_EVENT } from './pending-view';

const NS = 'http://www.w3.org/2000/svg';

export type ImageFrame = {
  title: string;
  /** The unit, and the transform when one is applied. */
  subtitle: string;
  legend: { color: string; text: string; dashed: boolean }[];
  /** One line per source, "Source: …". */
  sources: string[];
  /** The page the chart was made from. */
  url: string;
};

function text(
  content: string,
  x: number,
  y: number,
  size: number,
  options: { bold?: boolean; fill?: string } = {},
) {
  const t = document.createElementNS(NS, 'text');
  t.setAttribute('x', String(x));
  t.setAttribute('y', String(y));
  t.setAttribute('font-size', String(size));
  if (options.bold) t.setAttribute('font-weight', '600');
  t.setAttribute('fill', options.fill ?? LIGHT.fg);
  t.textContent = content;
  return t;
}

/** Splits a text into lines no wider than `width`, at spaces (long words stay whole). */
export function wrap(content: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of content.split(/\s+/).filter(Boolean)) {
    const next = current ? `${current} ${word}` : word;
    if (current && textWidth(next, size) > width) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}

/** A standalone SVG document: title and unit above the chart, legend, sources and URL below. */
export function chartSvgDocument(chart: SVGSVGElement, frame: ImageFrame): string {
  const pad = 12;
  const chartWidth = chart.width.baseVal.value || chart.getBoundingClientRect().width;
  const width = Math.max(480, chartWidth + 2 * pad);
  const height = chart.height.baseVal.value || chart.getBoundingClientRect().height;
  const inner = width - 2 * pad;
  const parts: SVGElement[] = [];
  let y = 24;
  for (const line of wrap(frame.title, inner, 16)) {
    parts.push(text(line, pad, y, 16, { bold: true }));
    y += 20;
  }
  parts.push(text(frame.subtitle, pad, y, 12, { fill: LIGHT.muted }));
  const top = y + 10;

  const body = chart.cloneNode(true) as SVGSVGElement;
  // Colours from the page's theme (var(--muted)) mean nothing outside it: the light theme's.
  const theme: Record<string, string> = LIGHT;
  for (const node of [body, ...body.querySelectorAll('*')])
    for (const name of ['fill', 'stroke', 'style'])
      if (node.getAttribute(name)?.includes('var(--'))
        node.setAttribute(
          name,
          node
            .getAttribute(name)!
            .replace(/var\(--([a-z]+)\)/g, (_, v: string) =>
              Object.hasOwn(theme, v) ? theme[v]! : LIGHT.fg,
            ),
        );
  body.setAttribute('x', String(pad));
  body.setAttribute('y', String(top));
  body.setAttribute('width', String(chartWidth));
  body.setAttribute('height', String(height));
  body.removeAttribute('style');
  parts.push(body);

  // The legend flows in rows: a stroke in the series' colour (dashed for projections), then its name.
  y = top + height + 22;
  let x = pad;
  const legend = document.createElementNS(NS, 'g');
  legend.setAttribute('data-legend', '');
  for (const item of frame.legend) {
    const w = 24 + textWidth(item.text, 12) + 18;
    if (x > pad && x + w > width - pad) {
      x = pad;
      y += 20;
    }
    const stroke = document.createElementNS(NS, 'line');
    stroke.setAttribute('x1', String(x));
    stroke.setAttribute('x2', String(x + 18));
    stroke.setAttribute('y1', String(y - 4));
    stroke.setAttribute('y2', String(y - 4));
    stroke.setAttribute('stroke', item.color);
    stroke.setAttribute('stroke-width', '3');
    if (item.dashed) stroke.setAttribute('stroke-dasharray', '5 3');
    legend.append(stroke, text(item.text, x + 24, y, 12));
    x += w;
  }
  parts.push(legend);
  y += 24;
  for (const line of [...frame.sources, frame.url].flatMap((l) => wrap(l, inner, 11))) {
    parts.push(text(line, pad, y, 11, { fill: LIGHT.muted }));
    y += 15;
  }
  const total = Math.ceil(y);

  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('xmlns', NS);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(total));
  svg.setAttribute('viewBox', `0 0 ${width} ${total}`);
  svg.setAttribute(
    'font-family',
    'system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif',
  );
  const style = document.createElementNS(NS, 'style');
  // The page's theme does not travel with the file: the light theme's colours, inline.
  style.textContent = chartStyle(LIGHT);
  const background = document.createElementNS(NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', LIGHT.bg);
  svg.append(style, background, ...parts);
  return new XMLSerializer().serializeToString(svg);
}

function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadSvg(svg: string, filename: string) {
  save(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }), filename);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Adds international text chunks (iTXt, UTF-8) after the PNG's header chunk: the
 * title, the sources and the URL travel with the image, readable by image tools.
 */
export function withPngText(
  png: Uint8Array,
  entries: [keyword: string, text: string][],
): Uint8Array {
  const encoder = new TextEncoder();
  const chunks = entries.map(([keyword, value]) => {
    const data = new Uint8Array([
      ...encoder.encode(keyword),
      0, // end of keyword
      0, // not compressed
      0, // compression method
      0, // no language tag
      0, // no translated keyword
      ...encoder.encode(value),
    ]);
    const chunk = new Uint8Array(12 + data.length);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, data.length);
    chunk.set(encoder.encode('iTXt'), 4);
    chunk.set(data, 8);
    view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
    return chunk;
  });
  // Signature (8 bytes), then IHDR: length (4) + type (4) + 13 bytes + CRC (4).
  const afterHeader = 8 + 25;
  const size = png.length + chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(size);
  out.set(png.subarray(0, afterHeader), 0);
  let at = afterHeader;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  out.set(png.subarray(afterHeader), at);
  return out;
}

/** Renders the SVG at twice its size, for sharp images on slides and high-density screens. */
export async function downloadPng(svg: string, filename: string, frame: ImageFrame) {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart image could not be rendered'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth * 2;
    canvas.height = image.naturalHeight * 2;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No canvas available');
    context.scale(2, 2);
    context.drawImage(image, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('The PNG could not be made');
    const png = withPngText(new Uint8Array(await blob.arrayBuffer()), [
      ['Title', frame.title],
      ['Description', [frame.subtitle, ...frame.legend.map((l) => l.text)].join('; ')],
      ['Source', frame.sources.join(' ')],
      ['URL', frame.url],
    ]);
    save(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}

const CHART_SELECTOR = '.chart-area svg.recharts-surface';

/** The interactive chart's drawing, asked for and waited on (up to 20 s) when not there yet. */
async function drawnChart(): Promise<SVGSVGElement | null> {
  const now = document.querySelector<SVGSVGElement>(CHART_SELECTOR);
  if (now) return now;
  window.dispatchEvent(new Event(CHART_WANTED_EVENT));
  for (let waited = 0; waited < 20_000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    const chart = document.querySelector<SVGSVGElement>(CHART_SELECTOR);
    if (chart) return chart;
  }
  return null;
}

/** Saves the chart on screen as an image file; what went wrong, or null. */
export async function saveChartImage(
  format: 'svg' | 'png',
  options: { name: string; frame: ImageFrame },
): Promise<string | null> {
  const chart = await drawnChart();
  if (!chart) return 'The chart could not be drawn.';
  const svg = chartSvgDocument(chart, options.frame);
  try {
    if (format === 'svg') downloadSvg(svg, options.name);
    else await downloadPng(svg, options.name, options.frame);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
