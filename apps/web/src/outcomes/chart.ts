import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Charts as server-rendered SVG (Vega-Lite compiled to Vega, drawn with no canvas). A chart is only a picture of
 * figures a page also shows as a table, so the SVG is hidden from assistive technology (`aria-hidden`) and
 * its page gives it a caption. Drawing takes tens of milliseconds, so each spec's SVG is kept (a small cache by
 * the spec itself: same figures, same picture).
 */
const CACHE_LIMIT = 200;
const cache = new Map<string, string>();

/** The SVG of a Vega-Lite spec, made safe for a strict Content-Security-Policy (no inline `style`). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const key = JSON.stringify(spec);
  const kept = cache.get(key);
  if (kept !== undefined) return kept;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = forPage(await view.toSVG());
  view.finalize();
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, svg);
  return svg;
}

/**
 * The SVG as a page embeds it: hidden from screen readers (the table beside it says the same), not focusable,
 * and without `style` attributes, which the page's CSP refuses (their declarations become presentation
 * attributes, which SVG reads the same way).
 */
export function forPage(svg: string): string {
  return svg
    .replace(/\sstyle="([^"]*)"/g, (_all, css: string) => presentation(css))
    .replace(/\s(?:role|aria-[a-z]+)="[^"]*"/g, '')
    .replace(/<svg\b/, '<svg aria-hidden="true" focusable="false"');
}

function presentation(css: string): string {
  return css
    .split(';')
    .map((d) => d.trim())
    .filter((d) => /^[a-z-]+\s*:/.test(d))
    .map((d) => {
      const [name, ...value] = d.split(':');
      return ` ${name!.trim()}="${value.join(':').trim().replace(/"/g, '&quot;')}"`;
    })
    .join('');
}
