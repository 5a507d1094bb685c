import { describe, expect, it } from '@jest/globals';
import { marksFor, withValues } from './page.js';

describe("a kept page's response values", () => {
  const first = { nonce: 'bm9uY2Ux', csrfToken: 'token-1', correlationId: 'id-1' };
  const second = { nonce: 'bm9uY2Uy', csrfToken: 'token-2', correlationId: 'id-2' };
  const drawn = (v: { nonce: string; csrfToken?: string; correlationId: string }) =>
    `<script nonce="${v.nonce}"></script><form><input name="_csrf" value="${v.csrfToken ?? ''}"></form>` +
    `<form><input name="_csrf" value="${v.csrfToken ?? ''}"></form><p>Quote ${v.correlationId}</p>`;

  it("fills every mark with each response's own values, and nothing else", () => {
    const kept = drawn(marksFor(first));
    expect(kept).not.toContain(first.nonce);
    expect(kept).not.toContain(first.csrfToken);
    expect(withValues(kept, first).toString('utf8')).toBe(drawn(first));
    expect(withValues(kept, second).toString('utf8')).toBe(drawn(second));
    expect(withValues('app-nonce-0123 and a page of text', second).toString('utf8')).toBe(
      'app-nonce-0123 and a page of text',
    );
    // Text outside the marks keeps its characters (the pages hold curly quotes and pound signs).
    const pounds = `<p>£1,000 – ‘spent’</p>${marksFor(first).nonce}`;
    expect(withValues(pounds, second).toString('utf8')).toBe(`<p>£1,000 – ‘spent’</p>${second.nonce}`);
  });

  it('marks no CSRF token where the response has none', () => {
    const { csrfToken: _none, ...noToken } = first;
    expect(marksFor(noToken).csrfToken).toBeUndefined();
    expect(withValues(drawn(marksFor(noToken)), noToken).toString('utf8')).toBe(drawn(noToken));
  });
});
