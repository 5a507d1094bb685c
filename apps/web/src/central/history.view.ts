/**
 * Records and their histories: every record is a stream of events (`funding-E06000008`, `action-<id>`), whose
 * history page lists who did what and when.
 */

const KINDS: Readonly<Record<string, string>> = {
  area: 'Area',
  funding: 'Funding',
  outcomes: 'Outcomes',
  return: 'Quarterly returns',
  action: 'Action',
  learning: 'Learning item',
  themes: 'Theme catalogue',
  indicator: 'Indicator catalogue',
};

/** The page listing a record's events. */
export function historyLink(streamId: string): string {
  return `/history/${encodeURIComponent(streamId)}`;
}

export interface StreamDescription {
  /** "Funding", "Action", … */
  readonly kind: string;
  /** The area's ONS code when the record is one area's (funding-E06000008). */
  readonly areaCode?: string;
}

/** What kind of record a stream is, and whose. */
export function describeStream(streamId: string): StreamDescription {
  const cut = streamId.indexOf('-');
  const prefix = cut < 0 ? streamId : streamId.slice(0, cut);
  const rest = cut < 0 ? '' : streamId.slice(cut + 1);
  const kind = KINDS[prefix] ?? 'Record';
  return /^[EWSN]\d{8}$/.test(rest) ? { kind, areaCode: rest } : { kind };
}
