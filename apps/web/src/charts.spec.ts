import { describe, expect, it } from '@jest/globals';
import { type ChartSpec, cachedCharts, renderChart, svgWithoutInlineStyles } from './charts.js';

const SPEC: ChartSpec = {
  data: {
    values: [
      { pilot: 'Bradford', pounds: 1200 },
      { pilot: 'Walsall', pounds: 800 },
    ],
  },
  mark: 'bar',
  encoding: {
    y: { field: 'pilot', type: 'nominal', title: null },
    x: { field: 'pounds', type: 'quantitative', title: 'Pounds' },
  },
};

describe('charts drawn on the server', () => {
  it('draws a Vega-Lite spec as one labelled SVG image', async () => {
    const svg = await renderChart(SPEC, 'Bar chart of spend by pilot');
    expect(svg).toMatch(
      /^<svg role="img" aria-label="Bar chart of spend by pilot" focusable="false" class="app-chart__svg" /,
    );
    expect(svg).toContain('Bradford');
    expect(svg).toContain('Walsall');
    expect(svg.match(/<path|<rect/g)?.length ?? 0).toBeGreaterThan(2);
  });

  it("writes no inline style attribute (the pages' CSP blocks them) and no ARIA of its own inside", async () => {
    const svg = await renderChart(SPEC, 'Bar chart of spend by pilot');
    expect(svg).not.toContain(' style="');
    expect(svg.match(/ role="/g)).toHaveLength(1);
    expect(svg.match(/ aria-/g)).toHaveLength(1);
    expect(svg).toContain('font-family="GDS Transport, arial, sans-serif"');
  });

  it('escapes the label', async () => {
    const svg = await renderChart(SPEC, 'Spend "so far" <b>');
    expect(svg).toContain('aria-label="Spend &quot;so far&quot; &lt;b>"');
  });

  it('draws the same spec once, keeping its SVG', async () => {
    const spec: ChartSpec = { ...SPEC, data: { values: [{ pilot: 'Peterborough', pounds: 5 }] } };
    const first = await renderChart(spec, 'One bar');
    const kept = cachedCharts();
    const again = await renderChart(spec, 'One bar');
    expect(again).toBe(first);
    expect(cachedCharts()).toBe(kept);
    await renderChart({ ...spec, data: { values: [{ pilot: 'Peterborough', pounds: 6 }] } }, 'One bar');
    expect(cachedCharts()).toBe(kept + 1);
  });

  it('turns style attributes into presentation attributes', () => {
    expect(svgWithoutInlineStyles('<text style="font-family: a, b; font-size: 11px;">x</text>')).toBe(
      '<text font-family="a, b" font-size="11px">x</text>',
    );
  });
});
