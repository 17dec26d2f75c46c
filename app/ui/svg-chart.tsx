// The server-rendered chart: readable with JavaScript off and before the interactive
// chart loads, and the overview's small charts. Drawn by lib/chart/chart-scene.ts.
import { createElement, type ReactNode } from 'react';
import { chartScene, type SceneInput, type SvgNode } from '@/lib/chart/chart-scene';

const camel = (name: string) =>
  name.startsWith('data-') || name.startsWith('aria-')
    ? name
    : name === 'class'
      ? 'className'
      : name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function render(node: SvgNode | string, key?: number): ReactNode {
  if (typeof node === 'string') return node;
  const props: Record<string, unknown> = { key };
  for (const [k, v] of Object.entries(node.attrs)) if (v !== undefined) props[camel(k)] = v;
  return createElement(node.tag, props, ...node.children.map((c, i) => render(c, i)));
}

export function SvgChart(props: SceneInput & { className?: string }) {
  const scene = chartScene(props);
  if (props.className) scene.attrs.class = `${scene.attrs.class} ${props.className}`;
  return render(scene);
}
