import { describe, expect, it } from '@jest/globals';
import { renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders Markdown as GOV.UK content, headings starting at h2', () => {
    const html = renderMarkdown(
      '# Title\n\n## What we did\n\nTwelve **primary** schools.\n\n- one\n- two\n\n1. first\n\n> quoted',
    );
    expect(html).toContain('<h2 class="govuk-heading-m">Title</h2>');
    expect(html).toContain('<h2 class="govuk-heading-m">What we did</h2>');
    expect(html).not.toContain('<h1');
    expect(html).toContain('<p class="govuk-body">Twelve <strong>primary</strong> schools.</p>');
    expect(html).toContain('<ul class="govuk-list govuk-list--bullet">');
    expect(html).toContain('<ol class="govuk-list govuk-list--number">');
    expect(html).toContain('<blockquote class="govuk-inset-text">');
  });

  it('shows a script in the body as text: it never runs', () => {
    const html = renderMarkdown('Before\n\n<script>alert("x")</script>\n\nAfter <script>alert(2)</script>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<p class="govuk-body">&lt;script&gt;alert("x")&lt;/script&gt;</p>');
    expect(html).toContain('After &lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('lets no raw HTML through: handlers, javascript: links, images and styles are text or dropped', () => {
    const html = renderMarkdown(
      '[click](javascript:alert(1)) <a href="https://example.org" onclick="alert(1)">ok</a>\n\n' +
        '![x](https://example.org/x.png) <img src=x onerror="alert(1)">\n\n<style>body{display:none}</style>',
    );
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/<[^>]*\bon\w+=/i); // no element carries an event handler
    expect(html).not.toMatch(/<img|<style|<a href="https:\/\/example.org"/i);
    expect(html).toContain('&lt;a href="https://example.org" onclick="alert(1)"&gt;ok&lt;/a&gt;'); // shown as text
    expect(html).toContain('<p class="govuk-body">&lt;style&gt;body{display:none}&lt;/style&gt;</p>');
  });

  it('links to http(s) addresses as GOV.UK links', () => {
    expect(renderMarkdown('See [the report](https://example.org/report.pdf).')).toBe(
      '<p class="govuk-body">See <a href="https://example.org/report.pdf" class="govuk-link" rel="noreferrer noopener">the report</a>.</p>\n',
    );
  });
});
