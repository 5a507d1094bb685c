import type { FastifyInstance } from 'fastify';
import { OperationFailed, type OperationError, type OperationResult } from '../graphql.js';
import { commandFields, formErrors, newCommandId, shownState, submitForm } from '../forms.js';
import { type Page, pageHandler, viewerMay } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { draftingRoutes } from './drafting.routes.js';
import {
  LEARNING_TYPES,
  LEARNING_TYPE_NAMES,
  LIBRARY_PAGE_SIZE,
  isFiltered,
  libraryFilter,
  librarySearch,
  paginationModel,
  searchQuery,
} from './library.js';
import { renderMarkdown } from './markdown.js';
import {
  FEED_URL,
  type ItemMays,
  LEARNING_ITEM,
  itemActions,
  notFound,
  requireItemId,
} from './learning.view.js';

const LIBRARY = `query Library($filter: LearningLibraryFilter, $first: Int, $after: String) {
  learningLibrary(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { id type title summary areaCode areaName publishedOn themes adoptionCount }
  }
}`;

/** To reach page n: the cursor after the items of the pages before it. */
const SKIP = `query LibrarySkip($filter: LearningLibraryFilter, $first: Int, $after: String) {
  learningLibrary(filter: $filter, first: $first, after: $after) { pageInfo { hasNextPage endCursor } }
}`;

const LOOKUPS = `query LibraryLookups { themes(includeRetired: true) { code name retired } learningAreas { code name published } }`;

const MAYS = `query ItemMays($adopt: JSON, $own: JSON, $area: JSON) {
  ${viewerMay({
    adopt: ['adoptLearning', '$adopt'],
    revise: ['reviseLearning', '$own'],
    publish: ['publishLearning', '$own'],
    readArea: ['Query.area', '$area'],
  })}
}`;

const ADOPT = `mutation Adopt($input: AdoptLearningInput!) { adoptLearning(input: $input) { id adoptionCount } }`;

const ADOPTED = `query Adopted($areaCode: String!) {
  learningAdoptedBy(areaCode: $areaCode) {
    itemId note adoptedOn item { id title type areaName publishedOn }
  }
}`;

interface LibraryItem {
  id: string;
  type: string;
  title: string;
  summary: string;
  areaCode: string;
  areaName: string | null;
  publishedOn: string | null;
  themes: string[];
  adoptionCount: number;
}

export interface LearningItem extends LibraryItem {
  body: string;
  actionIds: string[];
  status: 'DRAFT' | 'PUBLISHED' | 'RETRACTED';
  updatedAt: string;
  revision: number;
  retractedReason: string | null;
  evidenceLinks: { title: string; url: string }[];
  adoptions: { adoptingAreaCode: string; note: string; adoptedOn: string }[];
}

interface Theme {
  code: string;
  name: string;
  retired?: boolean;
}

/** The learning library, its items, adoption by other councils, and (drafting.routes.ts) the pilots' drafting. */
export async function learningRoutes(web: FastifyInstance, deps: WebRouteDeps): Promise<void> {
  const { graphql } = deps;

  // The footer's old address of the feed: the API serves it at /feeds/learning.atom.
  web.get('/learning/feed.atom', (_request, reply) => reply.redirect(FEED_URL, 301));

  web.get(
    '/learning',
    pageHandler(graphql, async (page) => {
      const search = librarySearch(page.request.query as Record<string, string | string[]>);
      const { filter, errors: dateErrors, byField } = libraryFilter(search);
      const lookups = await page.query<{ themes: Theme[]; learningAreas: { code: string; name: string }[] }>(
        LOOKUPS,
      );
      let errors = dateErrors;
      let fieldErrors: Record<string, string> = byField;
      let result: { totalCount: number; nodes: LibraryItem[] } = { totalCount: 0, nodes: [] };
      if (errors.length === 0) {
        const found = await findPage(page, filter, search.page);
        if (found.errors.length) {
          const refused = formErrors(found.errors, {
            'filter.text': 'q',
            'filter.themes': 'theme',
            'filter.types': 'type',
            'filter.areaCode': 'area',
            'filter.publishedFrom': 'from-day',
            'filter.publishedTo': 'to-day',
          });
          errors = refused.summary;
          fieldErrors = refused.byField;
        } else result = found.result;
      }
      // A pilot officer's way to their own area's drafts, when the API lets them draft.
      const area = page.user?.area;
      const mayDraft = area
        ? (
            await page.query<{ viewer: { may: boolean } }>(
              'query MayDraft($args: JSON) { viewer { may(operation: "draftLearning", args: $args) } }',
              { args: { input: { areaCode: area } } },
            )
          ).viewer.may
        : false;
      const query = searchQuery(search);
      const pages = Math.max(1, Math.ceil(result.totalCount / LIBRARY_PAGE_SIZE));
      const themeNames = Object.fromEntries(lookups.themes.map((t) => [t.code, t.name]));
      return page.render(
        'learning/library',
        {
          pageTitle:
            search.page > 1 ? `Learning library (page ${search.page} of ${pages})` : 'Learning library',
          errors,
          fieldErrors,
          search,
          filtered: isFiltered(search),
          themes: lookups.themes.filter((t) => !t.retired || search.themes.includes(t.code)),
          themeNames,
          areas: lookups.learningAreas,
          types: LEARNING_TYPES.map((t) => ({ value: t, text: LEARNING_TYPE_NAMES[t] })),
          typeNames: LEARNING_TYPE_NAMES,
          total: result.totalCount,
          items: result.nodes,
          first: (search.page - 1) * LIBRARY_PAGE_SIZE + 1,
          pagination: paginationModel(query, Math.min(search.page, pages), pages),
          downloadQuery: query,
          feedUrl: FEED_URL,
          draftUrl: mayDraft ? `/areas/${area}/learning` : undefined,
        },
        errors.length ? 400 : 200,
      );
    }),
  );

  web.get(
    '/learning/adopted',
    pageHandler(graphql, async (page) => {
      const user = page.requireSignedIn();
      if (!user.area)
        throw new OperationFailed([
          { code: 'FORBIDDEN', message: 'Only a council records adoptions', extensions: {} },
        ]);
      const data = await page.query<{
        learningAdoptedBy: {
          itemId: string;
          note: string;
          adoptedOn: string;
          item: { id: string; title: string; type: string; areaName: string | null } | null;
        }[];
      }>(ADOPTED, { areaCode: user.area });
      return page.render('learning/adopted', {
        pageTitle: 'Adopted by your council',
        adoptions: data.learningAdoptedBy,
        typeNames: LEARNING_TYPE_NAMES,
      });
    }),
  );

  web.get(
    '/learning/:id',
    pageHandler(graphql, async (page) => {
      const id = requireItemId(page.params.id);
      const { learningItem: item, themes } = await page.query<{
        learningItem: LearningItem | null;
        themes: Theme[];
      }>(LEARNING_ITEM, { id });
      if (!item) throw notFound();
      const area = page.user?.area;
      const { viewer: may } = await page.query<{ viewer: ItemMays }>(MAYS, {
        adopt: { input: { id, adoptingAreaCode: area ?? '' } },
        own: { input: { id } },
        area: { code: item.areaCode },
      });
      const adoptedByYou = area ? item.adoptions.find((a) => a.adoptingAreaCode === area) : undefined;
      const themeNames = Object.fromEntries(themes.map((t) => [t.code, t.name]));
      return page.render('learning/item', {
        pageTitle: item.title,
        item,
        bodyHtml: renderMarkdown(item.body),
        themeNames,
        typeNames: LEARNING_TYPE_NAMES,
        actions: may.readArea ? await itemActions(page, item) : [],
        may,
        mayAdopt:
          Boolean(area) &&
          may.adopt &&
          item.status === 'PUBLISHED' &&
          item.areaCode !== area &&
          !adoptedByYou,
        adoptedByYou,
        feedUrl: FEED_URL,
      });
    }),
  );

  const adoptPage = async (page: Page) => {
    const id = requireItemId(page.params.id);
    const user = page.requireSignedIn();
    await page.requireMay('adoptLearning', { input: { id, adoptingAreaCode: user.area ?? '' } });
    const { learningItem: item } = await page.query<{ learningItem: LearningItem | null }>(LEARNING_ITEM, {
      id,
    });
    if (!item || item.status !== 'PUBLISHED') throw notFound();
    const { values, errors } = shownState(page.takeForm(`adopt-${id}`));
    return page.render('learning/adopt', {
      pageTitle: `Adopt: ${item.title}`,
      item,
      typeNames: LEARNING_TYPE_NAMES,
      note: values.note ?? '',
      commandId: newCommandId(),
      errors: errors.summary,
      fieldErrors: errors.byField,
    });
  };

  web.get(
    '/learning/:id/adopt',
    pageHandler(graphql, (page) => adoptPage(page)),
  );

  web.post(
    '/learning/:id/adopt',
    pageHandler(graphql, async (page) => {
      const id = requireItemId(page.params.id);
      const user = page.requireSignedIn();
      await page.requireMay('adoptLearning', { input: { id, adoptingAreaCode: user.area ?? '' } });
      const data = await submitForm(page, {
        form: `adopt-${id}`,
        again: `/learning/${id}/adopt`,
        fields: { 'input.note': 'note' },
        enter: { note: 'a note' },
        run: () =>
          page.run<{ adoptLearning: { id: string } }>(ADOPT, {
            input: {
              id,
              adoptingAreaCode: user.area,
              note: page.body.note ?? '',
              ...commandFields(page.body),
            },
          }),
      });
      if (!data) return;
      return page.redirect('/learning/adopted', {
        success: {
          heading: 'Your council is adopting this learning',
          body: 'Other councils and the pilot can see that your council adopted it.',
        },
      });
    }),
  );

  await draftingRoutes(web, deps);
}

/**
 * Page n of the library: the API's cursors are forward only, so a later page asks first for the cursor after the
 * pages before it (one small query), then for the page itself.
 */
async function findPage(
  page: Page,
  filter: Record<string, unknown>,
  n: number,
): Promise<{
  errors: OperationError[];
  result: { totalCount: number; nodes: LibraryItem[] };
}> {
  let after: string | null = null;
  let skip = (n - 1) * LIBRARY_PAGE_SIZE;
  while (skip > 0) {
    const first = Math.min(skip, 100);
    const r: OperationResult<{
      learningLibrary: { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }> = await page.run(SKIP, { filter, first, after });
    if (r.errors.length) return { errors: [...r.errors], result: { totalCount: 0, nodes: [] } };
    const info: { hasNextPage: boolean; endCursor: string | null } = r.data!.learningLibrary.pageInfo;
    after = info.endCursor;
    skip -= first;
    if (!info.hasNextPage) break;
  }
  const r = await page.run<{ learningLibrary: { totalCount: number; nodes: LibraryItem[] } }>(LIBRARY, {
    filter,
    first: LIBRARY_PAGE_SIZE,
    after,
  });
  if (r.errors.length) return { errors: [...r.errors], result: { totalCount: 0, nodes: [] } };
  const result = r.data!.learningLibrary;
  // Past the last page: no items (the page number is beyond them).
  return { errors: [], result: skip > 0 ? { ...result, nodes: [] } : result };
}
