// Chart image downloads, made in the browser from the chart already drawn: the SVG
// as shown, framed with the title and the sources, and a PNG rendered from it.

const NS = 'http://www.w3.org/2000/svg';

function text(content: string, x: number, y: number, size: number, weight = 'normal') {
  const t = document.createElementNS(NS, 'text');
  t.setAttribute('x', String(x));
  t.setAttribute('y', String(y));
  t.setAttribute('font-size', String(size));
  t.setAttribute('font-weight', weight);
  t.setAttribute('fill', '#1d2330');
  t.textContent = content;
  return t;
}

/** A standalone SVG document of the chart with its title above and its sources below. */
export function chartSvgDocument(
  chart: SVGSVGElement,
  title: string,
  sourceLines: string[],
): string {
  const width = chart.width.baseVal.value || chart.getBoundingClientRect().width;
  const height = chart.height.baseVal.value || chart.getBoundingClientRect().height;
  const top = 36;
  const bottom = 14 + sourceLines.length * 16;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('xmlns', NS);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height + top + bottom));
  svg.setAttribute('viewBox', `0 0 ${width} ${height + top + bottom}`);
  svg.setAttribute(
    'font-family',
    'system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif',
  );
  const background = document.createElementNS(NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  svg.append(background, text(title, 12, 24, 16, '600'));
  const body = chart.cloneNode(true) as SVGSVGElement;
  body.setAttribute('x', '0');
  body.setAttribute('y', String(top));
  body.setAttribute('width', String(width));
  body.setAttribute('height', String(height));
  svg.append(body);
  sourceLines.forEach((line, i) => svg.append(text(line, 12, top + height + 18 + i * 16, 11)));
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

/** Renders the SVG at twice its size, for sharp images on slides and high-density screens. */
export async function downloadPng(svg: string, filename: string) {
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
    save(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}
