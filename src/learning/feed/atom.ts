/**
 * A small, strict Atom 1.0 (RFC 4287) writer. Every piece of text is escaped for XML, and characters that XML 1.0
 * does not allow at all (most control characters, lone surrogates, U+FFFE and U+FFFF) are dropped, so a hostile
 * title can neither break the document nor inject markup. HTML content (type="html") is escaped twice: once as
 * HTML when it is built, and once more as the element's text.
 */

export interface AtomCategory {
  readonly term: string;
  readonly label?: string;
}

export interface AtomEntry {
  /** An IRI, e.g. `urn:uuid:…`. */
  readonly id: string;
  readonly title: string;
  readonly updated: Date;
  readonly published: Date;
  readonly summary: string;
  readonly authorName: string;
  readonly categories: readonly AtomCategory[];
  /** Markup (already safe HTML), sent as type="html". */
  readonly contentHtml: string;
  /** Where the item itself is (rel="alternate"): an absolute URL. */
  readonly link?: AtomLink;
}

export interface AtomLink {
  readonly href: string;
  /** The media type of what the link answers. */
  readonly type?: string;
  readonly title?: string;
}

export interface AtomFeed {
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly updated: Date;
  /** The absolute URL of the feed itself. */
  readonly selfHref: string;
  /** Used when an entry has no author of its own (Atom requires one). */
  readonly authorName: string;
  readonly generator?: string;
  readonly entries: readonly AtomEntry[];
}

const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for XML element content and attribute values (both quote styles). */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Escapes text for HTML (the same five characters; `&#39;` for the apostrophe, which HTML 4 lacks as a name). */
export function escapeHtml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => (c === "'" ? '&#39;' : ENTITIES[c]));
}

/** Plain text as HTML paragraphs: blank lines separate paragraphs, single line breaks become <br>. */
export function paragraphs(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${p.split(/\r?\n/).map(escapeHtml).join('<br>')}</p>`)
    .join('');
}

const date = (d: Date) => d.toISOString();

function element(name: string, text: string, attributes: Record<string, string> = {}): string {
  const attrs = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  return `<${name}${attrs}>${escapeXml(text)}</${name}>`;
}

function linkElement(attributes: Record<string, string | undefined>): string {
  const attrs = Object.entries(attributes)
    .filter((a): a is [string, string] => a[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  return `<link${attrs}/>`;
}

function renderEntry(e: AtomEntry): string {
  const categories = e.categories.map(
    (c) => `<category term="${escapeXml(c.term)}"${c.label ? ` label="${escapeXml(c.label)}"` : ''}/>`,
  );
  return [
    '  <entry>',
    `    ${element('id', e.id)}`,
    `    ${element('title', e.title, { type: 'text' })}`,
    `    ${element('updated', date(e.updated))}`,
    `    ${element('published', date(e.published))}`,
    `    <author>${element('name', e.authorName)}</author>`,
    ...(e.link ? [`    ${linkElement({ rel: 'alternate', ...e.link })}`] : []),
    ...categories.map((c) => `    ${c}`),
    `    ${element('summary', e.summary, { type: 'text' })}`,
    `    ${element('content', e.contentHtml, { type: 'html' })}`,
    '  </entry>',
  ].join('\n');
}

export function renderAtom(feed: AtomFeed): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">',
    `  ${element('id', feed.id)}`,
    `  ${element('title', feed.title, { type: 'text' })}`,
    ...(feed.subtitle ? [`  ${element('subtitle', feed.subtitle, { type: 'text' })}`] : []),
    `  ${element('updated', date(feed.updated))}`,
    `  ${linkElement({ rel: 'self', type: 'application/atom+xml', href: feed.selfHref })}`,
    `  <author>${element('name', feed.authorName)}</author>`,
    ...(feed.generator ? [`  ${element('generator', feed.generator)}`] : []),
    ...feed.entries.map(renderEntry),
    '</feed>',
    '',
  ].join('\n');
}
