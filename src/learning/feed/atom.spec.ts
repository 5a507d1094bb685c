import { describe, expect, it } from '@jest/globals';
import { type AtomFeed, escapeHtml, escapeXml, paragraphs, renderAtom } from './atom.js';
import { child, childrenNamed, parseXml } from './testing/xml.js';

const HOSTILE = `Tom & Jerry's <script>alert("x")</script> ]]> \u0000\u0007\uFFFE end`;

const feed: AtomFeed = {
  id: 'urn:uuid:3d0f6b8e-2a51-4c7e-9f0a-6c1b7d4e8a25',
  title: 'Learning & sharing',
  subtitle: 'For "every" council',
  updated: new Date('2019-11-05T10:00:00.000Z'),
  selfHref: 'http://localhost:3000/feeds/learning.atom?theme=A&x="y"',
  authorName: 'Integration Area Programme',
  entries: [
    {
      id: 'urn:uuid:0b9f4a52-6f0e-4c3e-9a8c-2a1f3e0d7c11',
      title: HOSTILE,
      updated: new Date('2019-11-05T10:00:00.000Z'),
      published: new Date('2019-11-04T09:00:00.000Z'),
      summary: 'Line one\n\nLine <two>',
      authorName: 'Blackburn with Darwen',
      categories: [{ term: 'COMMON_GROUND', label: 'Common "ground"' }, { term: 'LEADERSHIP' }],
      contentHtml: paragraphs('Line one\n\nLine <two> & more'),
      link: {
        href: 'http://localhost:3000/graphql?query=%7B%20x%20%7D&a="b"<c>',
        type: 'application/json',
        title: 'The "item"',
      },
    },
  ],
};

describe('the Atom writer', () => {
  it('writes a well-formed Atom 1.0 document', () => {
    const root = parseXml(renderAtom(feed));
    expect(root.name).toBe('feed');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(child(root, 'id').text).toBe(feed.id);
    expect(child(root, 'title').text).toBe('Learning & sharing');
    expect(child(root, 'subtitle').text).toBe('For "every" council');
    expect(child(root, 'updated').text).toBe('2019-11-05T10:00:00.000Z');
    expect(child(root, 'link').attributes).toEqual({
      rel: 'self',
      type: 'application/atom+xml',
      href: 'http://localhost:3000/feeds/learning.atom?theme=A&x="y"',
    });
    expect(child(child(root, 'author'), 'name').text).toBe('Integration Area Programme');
    const [entry] = childrenNamed(root, 'entry');
    expect(child(entry, 'published').text).toBe('2019-11-04T09:00:00.000Z');
    expect(child(child(entry, 'author'), 'name').text).toBe('Blackburn with Darwen');
    expect(childrenNamed(entry, 'category').map((c) => c.attributes)).toEqual([
      { term: 'COMMON_GROUND', label: 'Common "ground"' },
      { term: 'LEADERSHIP' },
    ]);
    expect(child(entry, 'summary').text).toBe('Line one\n\nLine <two>');
    expect(childrenNamed(entry, 'link').map((l) => l.attributes)).toEqual([
      {
        rel: 'alternate',
        type: 'application/json',
        title: 'The "item"',
        href: 'http://localhost:3000/graphql?query=%7B%20x%20%7D&a="b"<c>',
      },
    ]);
  });

  it('leaves out the link of an entry that has none', () => {
    const { link: _link, ...entry } = feed.entries[0];
    const root = parseXml(renderAtom({ ...feed, entries: [entry] }));
    expect(childrenNamed(childrenNamed(root, 'entry')[0], 'link')).toEqual([]);
  });

  it('escapes a hostile title so that it is text, not markup, and drops characters XML forbids', () => {
    const xml = renderAtom(feed);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0000');
    const title = child(childrenNamed(parseXml(xml), 'entry')[0], 'title');
    expect(title.children).toEqual([]);
    expect(title.text).toBe(`Tom & Jerry's <script>alert("x")</script> ]]>  end`);
  });

  it('escapes HTML content twice: a reader decodes it to safe HTML', () => {
    const content = child(childrenNamed(parseXml(renderAtom(feed)), 'entry')[0], 'content');
    expect(content.attributes.type).toBe('html');
    expect(content.text).toBe('<p>Line one</p><p>Line &lt;two&gt; &amp; more</p>');
  });

  it('escapes the five special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
    expect(paragraphs('a\nb\n\n\nc')).toBe('<p>a<br>b</p><p>c</p>');
  });
});

describe('the test XML parser', () => {
  it.each([
    ['<a><b></a></b>', /does not close/],
    ['<a>x & y</a>', /stray/],
    ['<a>&nbsp;</a>', /Unknown entity/],
    ['<a b="1" b="2"/>', /repeated/],
    ['<a b=1/>', /Malformed attribute/],
    ['<a b="<"/>', /raw "<"/],
    ['<a/><b/>', /More than one root/],
    ['<a>', /not closed/],
    ['text<a/>', /outside the root/],
    ['<a>\u0001</a>', /does not allow/],
  ])('refuses %p', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });
});
