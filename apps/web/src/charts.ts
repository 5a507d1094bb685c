import { createHash } from 'node:crypto';
import type * as vl from 'vega-lite';

/**
 * Charts for the pages: a Vega-Lite spec in, an SVG string out, drawn on the server (no canvas, no script in
 * the browser). The SVG is made to live under the pages' Content-Security-Policy, which blocks inline style
 * attributes: whatever Vega writes as `style="…"` becomes SVG presentation attributes (which CSP allows), and
 * the picture is one `role="img"` with its label, its marks hidden from assistive technology (the page gives
 * the same figures as a table). Drawing costs about 15 ms, so the SVG of each spec is kept (a small LRU keyed
 * by a hash of the spec and label): the same data draws once.
 */

/** A Vega-Lite spec (its data inline): what a page wants drawn. */
export type ChartSpec = vl.TopLevelSpec;

/** The look every chart shares: GOV.UK's font and colours, no ARIA of Vega's own (the page labels the chart). */
export const CHART_CONFIG = {
  font: 'GDS Transport, arial, sans-serif',
  background: 'white',
  aria: false,
  axis: { labelFontSize: 14, titleFontSize: 14, labelColor: '#0b0c0c', titleColor: '#0b0c0c', grid: true },
  legend: { labelFontSize: 14, titleFontSize: 14, labelColor: '#0b0c0c', titleColor: '#0b0c0c' },
  title: { fontSize: 16, color: '#0b0c0c' },
  view: { stroke: null },
  range: { category: ['#1d70b8', '#f47738', '#00703c', '#912b88', '#d4351c', '#505a5f'] },
} as const;

/** The GOV.UK colours charts use, in order (blue, orange, green, purple, red, grey). */
export const CHART_COLOURS = CHART_CONFIG.range.category;

/**
 * vega and vega-lite, loaded when the first chart is drawn, not at start: together they hold about 8 MB of heap
 * (their sources alone, 2 MB), which the process would otherwise carry whatever it serves.
 */
let loadingVega: Promise<[typeof import('vega'), typeof vl]> | undefined;
const vegaModules = () =>
  // One after the other: they share modules, and Jest's ESM loader fails to link two imports of them at once.
  (loadingVega ??= import('vega').then(async (vega) => [vega, await import('vega-lite')]));

const CACHE_SIZE = 200;
const cache = new Map<string, string>();

/** How many rendered charts are kept (for tests). */
export function cachedCharts(): number {
  return cache.size;
}

/**
 * The SVG of a chart, labelled for assistive technology with `label` (a sentence saying what it shows). The
 * spec is drawn with CHART_CONFIG under its own `config`.
 */
export function renderChart(spec: ChartSpec, label: string): Promise<string> {
  const withConfig = {
    ...spec,
    config: { ...CHART_CONFIG, ...((spec as { config?: object }).config ?? {}) },
  } as unknown as ChartSpec;
  return drawn(withConfig, label, (svg) => accessibleSvg(svg, label));
}

/**
 * The SVG of a chart whose page gives the same figures in a table beside it: hidden from assistive technology
 * (the table says it all), not focusable. The spec is drawn as it is (its own `config`).
 */
export function renderDecorativeChart(spec: ChartSpec): Promise<string> {
  return drawn(spec, null, decorativeSvg);
}

/** Draws `spec` once per spec and label (an LRU of CACHE_SIZE), CSP-safe, then finished by `finish`. */
async function drawn(
  spec: ChartSpec,
  label: string | null,
  finish: (svg: string) => string,
): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify([spec, label]))
    .digest('base64url');
  const kept = cache.get(key);
  if (kept !== undefined) {
    cache.delete(key);
    cache.set(key, kept);
    return kept;
  }
  const [vega, vegaLite] = await vegaModules();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const result = finish(svgWithoutInlineStyles(svg));
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}

/** `style="a: b; c: d"` attributes as `a="b" c="d"` (SVG presentation attributes, which CSP does not block). */
export function svgWithoutInlineStyles(svg: string): string {
  return svg.replace(/ style="([^"]*)"/g, (_m, style: string) =>
    style
      .split(';')
      .map((declaration) => declaration.trim())
      .filter((declaration) => declaration !== '')
      .map((declaration) => {
        const colon = declaration.indexOf(':');
        const name = declaration.slice(0, colon).trim();
        const value = declaration.slice(colon + 1).trim();
        return /^[a-z-]+$/.test(name) ? ` ${name}="${value.replace(/"/g, '&quot;')}"` : '';
      })
      .join(''),
  );
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The root `<svg>` hidden from assistive technology and not focusable; Vega's own ARIA removed. */
export function decorativeSvg(svg: string): string {
  return withoutVegaAria(svg).replace(/^<svg\b/, '<svg aria-hidden="true" focusable="false"');
}

function withoutVegaAria(svg: string): string {
  return svg.replace(/ aria-[a-z]+="[^"]*"/g, '').replace(/ role="[^"]*"/g, '');
}

/** The root `<svg>` as one image named by `label`, scaling to its container; Vega's own ARIA removed. */
function accessibleSvg(svg: string, label: string): string {
  return withoutVegaAria(svg).replace(
    /^<svg /,
    `<svg role="img" aria-label="${escapeAttribute(label)}" focusable="false" class="app-chart__svg" `,
  );
}
