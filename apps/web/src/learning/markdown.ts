import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * A learning item's body (Markdown written by a pilot) as HTML for its page: rendered by `marked`, then cleaned
 * by `sanitize-html` to a small allow-list of text elements styled as GOV.UK content. Raw HTML in the Markdown is
 * not trusted: a `<script>`, an event handler, a `javascript:` link or an image never reaches the page. The page
 * has its own h1, so the body's headings start at h2.
 */
const marked = new Marked({ async: false, gfm: true, breaks: false });

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

// Raw HTML in the Markdown is shown as the text it is (a paragraph of its own when it stood alone).
marked.use({
  renderer: {
    html({ text, block }) {
      return block ? `<p>${escapeHtml(text.trim())}</p>\n` : escapeHtml(text);
    },
  },
});

const HEADING: Record<string, { tag: string; className: string }> = {
  h1: { tag: 'h2', className: 'govuk-heading-m' },
  h2: { tag: 'h2', className: 'govuk-heading-m' },
  h3: { tag: 'h3', className: 'govuk-heading-s' },
  h4: { tag: 'h4', className: 'govuk-heading-s' },
  h5: { tag: 'h4', className: 'govuk-heading-s' },
  h6: { tag: 'h4', className: 'govuk-heading-s' },
};

const CLASSES: Record<string, string> = {
  p: 'govuk-body',
  ul: 'govuk-list govuk-list--bullet',
  ol: 'govuk-list govuk-list--number',
  blockquote: 'govuk-inset-text',
  table: 'govuk-table',
  thead: 'govuk-table__head',
  tbody: 'govuk-table__body',
  tr: 'govuk-table__row',
  th: 'govuk-table__header',
  td: 'govuk-table__cell',
  hr: 'govuk-section-break govuk-section-break--m govuk-section-break--visible',
  pre: 'app-markdown__code',
};

function withClass(tag: string, className: string): sanitizeHtml.Transformer {
  return (_name, attribs) => ({ tagName: tag, attribs: { ...attribs, class: className } });
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...Object.keys(HEADING),
    ...Object.keys(CLASSES),
    'a',
    'li',
    'strong',
    'em',
    'b',
    'i',
    'code',
    'br',
    'del',
  ],
  allowedAttributes: { a: ['href', 'class', 'rel'], '*': ['class'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // A disallowed element's text stays (escaped) unless it is code that would run or style the page.
  disallowedTagsMode: 'escape',
  nonTextTags: ['style', 'textarea', 'option', 'noscript'],
  transformTags: {
    ...Object.fromEntries(Object.entries(HEADING).map(([from, h]) => [from, withClass(h.tag, h.className)])),
    ...Object.fromEntries(Object.entries(CLASSES).map(([tag, c]) => [tag, withClass(tag, c)])),
    a: (_name, attribs) => ({
      tagName: 'a',
      attribs: { href: attribs.href ?? '', class: 'govuk-link', rel: 'noreferrer noopener' },
    }),
  },
};

/** Markdown as safe HTML for a page. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown ?? '') as string;
  return sanitizeHtml(html, SANITIZE);
}
