/**
 * A small, strict XML 1.0 well-formedness parser for tests (no XML parser is installed): one root element,
 * balanced and properly nested tags, quoted and unique attributes, no raw `<` or stray `&` in text or attribute
 * values, only the five predefined entities and character references, only characters XML allows. It does not
 * read DTDs. It returns the element tree with entities decoded, so tests can check what a reader will see.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The element's own text (not its descendants'), decoded. */
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// eslint-disable-next-line no-control-regex
const BAD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export class XmlError extends Error {}

function decode(raw: string, where: string): string {
  if (BAD_CHAR.test(raw)) throw new XmlError(`A character XML does not allow, in ${where}`);
  if (raw.includes('<')) throw new XmlError(`A raw "<" in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (match, ref: string | undefined) => {
    if (ref === undefined) throw new XmlError(`A stray "&" in ${where}`);
    if (ref in PREDEFINED) return PREDEFINED[ref];
    const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new XmlError(`Unknown entity "&${ref};" in ${where}`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    const ch = String.fromCodePoint(code);
    if (BAD_CHAR.test(ch)) throw new XmlError(`A character reference XML does not allow, in ${where}`);
    return ch;
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new XmlError('Unterminated XML declaration');
    if (
      !/^<\?xml\s+version="1\.[0-9]"(\s+encoding="[A-Za-z][A-Za-z0-9._-]*")?(\s+standalone="(yes|no)")?\s*\?>$/.test(
        xml.slice(0, end + 2),
      )
    ) {
      throw new XmlError('Malformed XML declaration');
    }
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.length > 0) {
      const decoded = decode(text, 'text');
      if (stack.length === 0) {
        if (decoded.trim() !== '') throw new XmlError('Text outside the root element');
      } else {
        stack[stack.length - 1].text += decoded;
      }
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0 || xml.slice(i + 4, end).includes('--')) throw new XmlError('Malformed comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) throw new XmlError('CDATA outside the root element');
      const end = xml.indexOf(']]>', i);
      if (end < 0) throw new XmlError('Unterminated CDATA section');
      stack[stack.length - 1].text += xml.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<!', i) || xml.startsWith('<?', i)) throw new XmlError(`Unsupported markup at ${i}`);
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) throw new XmlError(`Malformed end tag at ${i}`);
      const close = /^\s*>/.exec(xml.slice(i + 2 + m[0].length));
      if (!close) throw new XmlError(`Malformed end tag </${m[0]} at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0])
        throw new XmlError(`</${m[0]}> does not close <${open?.name ?? '(nothing)'}>`);
      i += 2 + m[0].length + close[0].length;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new XmlError(`Malformed start tag at ${i}`);
    i += 1 + m[0].length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith('/>', i) || xml.startsWith('>', i)) break;
      if (ws.length === 0) throw new XmlError(`Attributes of <${m[0]}> must be separated by white space`);
      const a = /^([A-Za-z_:][A-Za-z0-9_:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(i));
      if (!a) throw new XmlError(`Malformed attribute in <${m[0]}> at ${i}`);
      if (a[1] in attributes) throw new XmlError(`Attribute ${a[1]} repeated in <${m[0]}>`);
      attributes[a[1]] = decode(a[3] ?? a[4], `attribute ${a[1]} of <${m[0]}>`);
      i += a[0].length;
    }
    const element: XmlElement = { name: m[0], attributes, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else if (root) throw new XmlError('More than one root element');
    else root = element;
    if (xml.startsWith('/>', i)) {
      i += 2;
    } else {
      stack.push(element);
      i += 1;
    }
  }
  if (stack.length > 0) throw new XmlError(`<${stack[stack.length - 1].name}> is not closed`);
  if (!root) throw new XmlError('No root element');
  return root;
}

/** The direct children of `parent` named `name`. */
export function childrenNamed(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((c) => c.name === name);
}

/** The one direct child named `name` (throws when there is none or more than one). */
export function child(parent: XmlElement, name: string): XmlElement {
  const found = childrenNamed(parent, name);
  if (found.length !== 1)
    throw new XmlError(`<${parent.name}> has ${found.length} <${name}> children, not one`);
  return found[0];
}
