import { createHash } from 'node:crypto';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite chart as server-rendered SVG (no JavaScript in the browser): spec in, SVG out. The same spec gives
 * the same picture, so SVGs are cached by the spec's hash (the figures are part of the spec). Every chart must
 * also be shown as a table beside it; the SVG is decorative to assistive technology (aria-hidden), its
 * caption and table say what it shows.
 */
const cache = new Map<string, string>();
const CACHE_ENTRIES = 200;

export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(spec)).digest('hex');
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = withoutInlineStyles(await view.toSVG());
  view.finalize();
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, svg);
  return svg;
}

/**
 * The page's Content-Security-Policy refuses inline `style` attributes: the few Vega writes become presentation
 * attributes of the same meaning, and the picture is hidden from assistive technology (the table says it all).
 */
export function withoutInlineStyles(svg: string): string {
  return svg
    .replace(/ style="([^"]*)"/g, (_, css: string) =>
      css
        .split(';')
        .map((rule) => rule.trim())
        .filter((rule) => /^[a-z-]+\s*:/.test(rule))
        .map((rule) => {
          const [name, ...value] = rule.split(':');
          return ` ${name!.trim()}="${value.join(':').trim().replace(/"/g, "'")}"`;
        })
        .join(''),
    )
    .replace(/^<svg /, '<svg aria-hidden="true" focusable="false" ');
}
