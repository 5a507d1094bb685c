import { OperationFailed } from '../graphql.js';
import { UUID } from '@iap/common';
import type { Page } from '../page.js';

/** An item with its adoptions, and the themes to name them: for its page and its drafting form. */
export const LEARNING_ITEM = `query LearningItem($id: ID!) {
  learningItem(id: $id) {
    id areaCode areaName type title summary body themes actionIds status publishedOn updatedAt revision
    adoptionCount retractedReason evidenceLinks { title url } adoptions { adoptingAreaCode note adoptedOn }
  }
  themes(includeRetired: true) { code name }
}`;

/** Where the API serves the learning library's Atom feed (src/learning/feed). */
export const FEED_URL = '/feeds/learning.atom';

/** The GOV.UK 404 page. */
export function notFound(): OperationFailed {
  return new OperationFailed([{ code: 'NOT_FOUND', message: 'No such learning item', extensions: {} }]);
}

/** A learning item's id from its address; anything else is a page that does not exist. */
export function requireItemId(id: string | undefined): string {
  if (!id || !UUID.test(id)) throw notFound();
  return id.toLowerCase();
}

/** What the person may do with an item, as the API's own policies say (`viewer { may }`). */
export interface ItemMays {
  readonly adopt: boolean;
  readonly revise: boolean;
  readonly publish: boolean;
  readonly readArea: boolean;
}

/** The actions an item came from, with their titles (for someone who may read the pilot's records). */
export async function itemActions(
  page: Page,
  item: { areaCode: string; actionIds: readonly string[] },
): Promise<{ id: string; title: string; href: string }[]> {
  if (item.actionIds.length === 0) return [];
  const ids = item.actionIds.slice(0, 50);
  const source = `query ItemActions(${ids.map((_, i) => `$a${i}: ID!`).join(', ')}) { ${ids
    .map((_, i) => `a${i}: action(id: $a${i}) { id title areaCode }`)
    .join(' ')} }`;
  const result = await page.run<Record<string, { id: string; title: string; areaCode: string } | null>>(
    source,
    Object.fromEntries(ids.map((id, i) => [`a${i}`, id])),
  );
  return Object.values(result.data ?? {})
    .filter((a): a is { id: string; title: string; areaCode: string } => a !== null)
    .map((a) => ({ id: a.id, title: a.title, href: `/areas/${a.areaCode}/actions/${a.id}` }));
}
