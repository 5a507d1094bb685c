import { describe, expect, it } from '@jest/globals';
import { decorativeSvg, renderDecorativeChart as chartSvg, svgWithoutInlineStyles } from '../charts.js';
import { spendChartSpec } from './area.view.js';

describe('server-rendered charts', () => {
  it('draws a Vega-Lite spec as SVG with no inline style (the CSP refuses them), hidden from screen readers', async () => {
    const svg = await chartSvg(
      spendChartSpec([
        { quarter: '2019-20 Q1', pence: 1_200_000 },
        { quarter: '2019-20 Q2', pence: 2_850_000 },
      ]),
    );
    expect(svg).toMatch(/^<svg aria-hidden="true" focusable="false" /);
    expect(svg).not.toMatch(/ style="/);
    expect(svg).toContain('2019-20 Q2');
    expect(svg).toContain('Spend (£)');
    expect(svg).toMatch(/<path[^>]*fill="#1d70b8"/);
  });

  it('answers the same spec from its cache', async () => {
    const spec = spendChartSpec([{ quarter: '2020-21 Q1', pence: 100 }]);
    expect(await chartSvg(spec)).toBe(
      await chartSvg(spendChartSpec([{ quarter: '2020-21 Q1', pence: 100 }])),
    );
  });

  it('turns style rules into presentation attributes', () => {
    expect(
      decorativeSvg(
        svgWithoutInlineStyles(
          '<svg x="1"><text style="font-family: arial; font-size: 11px;">a</text></svg>',
        ),
      ),
    ).toBe(
      '<svg aria-hidden="true" focusable="false" x="1"><text font-family="arial" font-size="11px">a</text></svg>',
    );
  });
});
