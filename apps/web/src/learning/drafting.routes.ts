import type { FastifyInstance } from 'fastify';
import { commandFields, newCommandId, shownState, submitForm } from '../forms.js';
import type { OperationResult } from '../graphql.js';
import type { Page } from '../page.js';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import {
  DRAFT_LABELS,
  type DraftForm,
  EMPTY_DRAFT,
  contentInput,
  draftFields,
  draftFormFrom,
  draftFormOf,
  evidenceRows,
  typeMissing,
} from './draft-form.js';
import { LEARNING_TYPES, LEARNING_TYPE_NAMES } from './library.js';
import type { LearningItem } from './learning.routes.js';
import { LEARNING_ITEM, itemActions, notFound, requireItemId } from './learning.view.js';

const AREA_LEARNING = `query AreaLearning($code: String!) {
  area(code: $code) {
    code name
    learning { id type title status publishedOn updatedAt adoptionCount }
  }
}`;

const FORM_LOOKUPS = `query DraftLookups($code: String!) {
  area(code: $code) { code name }
  themes(includeRetired: true) { code name retired }
  actions(filter: { areaCode: $code }, first: 100) { nodes { id title } }
}`;

const DRAFT = `mutation Draft($input: DraftLearningInput!) { draftLearning(input: $input) { id } }`;
const REVISE = `mutation Revise($input: ReviseLearningInput!) { reviseLearning(input: $input) { id } }`;
const PUBLISH = `mutation Publish($input: PublishLearningInput!) { publishLearning(input: $input) { id } }`;

interface Lookups {
  area: { code: string; name: string } | null;
  themes: { code: string; name: string; retired: boolean }[];
  actions: { nodes: { id: string; title: string }[] };
}

const AREA_CODE = /^E\d{8}$/;

function requireAreaCode(code: string | undefined): string {
  if (!code || !AREA_CODE.test(code)) throw notFound();
  return code;
}

const TYPE_ERROR = 'Select what kind of learning this is';
const THEMES_ERROR = 'Select at least one theme';

/** The name a refused draft (new, or a revision of an item) is kept by across the redirect. */
function draftFormName(areaCode: string, item: { id: string } | undefined): string {
  return item ? `revise-learning-${item.id}` : `draft-learning-${areaCode}`;
}

/** The pilots' drafting of learning: their list, a new draft, revising, and publishing with a check first. */
export async function draftingRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  web.get(
    '/areas/:code/learning',
    pageHandler(graphql, async (page) => {
      const code = requireAreaCode(page.params.code);
      await page.requireMay('draftLearning', { input: { areaCode: code } });
      const { area } = await page.query<{
        area: {
          code: string;
          name: string;
          learning: {
            id: string;
            type: string;
            title: string;
            status: string;
            publishedOn: string | null;
            updatedAt: string;
            adoptionCount: number;
          }[];
        } | null;
      }>(AREA_LEARNING, { code });
      if (!area) throw notFound();
      return page.render('learning/area-learning', {
        pageTitle: `${area.name}: learning`,
        area,
        drafts: area.learning.filter((i) => i.status !== 'PUBLISHED'),
        published: area.learning.filter((i) => i.status === 'PUBLISHED'),
        typeNames: LEARNING_TYPE_NAMES,
      });
    }),
  );

  /** The drafting form, new or revising, with what the person typed and the API's refusals (kept by PRG). */
  async function showForm(page: Page, areaCode: string, form: DraftForm, item?: LearningItem) {
    const lookups = await page.query<Lookups>(FORM_LOOKUPS, { code: areaCode });
    if (!lookups.area) throw notFound();
    const kept = shownState(page.takeForm(draftFormName(areaCode, item)));
    const shown: DraftForm = kept.values.draft ? (JSON.parse(kept.values.draft) as DraftForm) : form;
    return page.render('learning/draft-form', {
      pageTitle: item ? `Change: ${item.title}` : `Draft learning for ${lookups.area.name}`,
      area: lookups.area,
      item,
      form: shown,
      evidence: evidenceRows(shown),
      types: LEARNING_TYPES.map((t) => ({ value: t, text: LEARNING_TYPE_NAMES[t] })),
      themes: lookups.themes.filter((t) => !t.retired || shown.themes.includes(t.code)),
      actions: lookups.actions.nodes,
      action: item ? `/learning/${item.id}/edit` : `/areas/${areaCode}/learning/new`,
      commandId: newCommandId(),
      expectedRevision: item?.revision,
      errors: kept.errors.summary,
      fieldErrors: kept.errors.byField,
    });
  }

  /** Sends a draft or revision: a missing type is the page's to say (the API cannot be sent one); PRG. */
  function sendDraft<T>(
    page: Page,
    form: DraftForm,
    areaCode: string,
    item: { id: string } | undefined,
    run: () => Promise<OperationResult<T>>,
  ): Promise<T | undefined> {
    return submitForm<T>(page, {
      form: draftFormName(areaCode, item),
      again: item ? `/learning/${item.id}/edit` : `/areas/${areaCode}/learning/new`,
      problems: {
        ...(typeMissing(form, LEARNING_TYPES) ? { type: TYPE_ERROR } : {}),
        ...(form.themes.length === 0 ? { themes: THEMES_ERROR } : {}),
      },
      fields: draftFields(),
      enter: DRAFT_LABELS,
      // A change made meanwhile: the form shows the item as it now is, saying so.
      values: (refused): Record<string, string> =>
        refused.some((e) => e.code === 'CONFLICT') ? {} : { draft: JSON.stringify(form) },
      run,
    });
  }

  web.get(
    '/areas/:code/learning/new',
    pageHandler(graphql, async (page) => {
      const code = requireAreaCode(page.params.code);
      await page.requireMay('draftLearning', { input: { areaCode: code } });
      return showForm(page, code, EMPTY_DRAFT);
    }),
  );

  web.post(
    '/areas/:code/learning/new',
    pageHandler(graphql, async (page) => {
      const code = requireAreaCode(page.params.code);
      await page.requireMay('draftLearning', { input: { areaCode: code } });
      const form = draftFormFrom(page.request.body as Record<string, string | string[]>);
      const data = await sendDraft<{ draftLearning: { id: string } }>(page, form, code, undefined, () =>
        page.run(DRAFT, { input: { ...contentInput(form), areaCode: code, ...commandFields(page.body) } }),
      );
      if (!data) return;
      return page.redirect(`/learning/${data.draftLearning.id}`, {
        success: {
          heading: 'Draft saved',
          body: 'Only your area and the central team can see it until you publish it.',
        },
      });
    }),
  );

  async function loadItem(page: Page, id: string): Promise<LearningItem> {
    const { learningItem: item } = await page.query<{ learningItem: LearningItem | null }>(LEARNING_ITEM, {
      id,
    });
    if (!item) throw notFound();
    return item;
  }

  web.get(
    '/learning/:id/edit',
    pageHandler(graphql, async (page) => {
      const id = requireItemId(page.params.id);
      await page.requireMay('reviseLearning', { input: { id } });
      const item = await loadItem(page, id);
      return showForm(page, item.areaCode, draftFormOf(item), item);
    }),
  );

  web.post(
    '/learning/:id/edit',
    pageHandler(graphql, async (page) => {
      const id = requireItemId(page.params.id);
      await page.requireMay('reviseLearning', { input: { id } });
      const form = draftFormFrom(page.request.body as Record<string, string | string[]>);
      const item = await loadItem(page, id);
      const data = await sendDraft(page, form, item.areaCode, item, () =>
        page.run<{ reviseLearning: { id: string } }>(REVISE, {
          input: {
            id,
            ...contentInput(form),
            ...(form.reason.trim() ? { reason: form.reason } : {}),
            ...commandFields(page.body),
          },
        }),
      );
      if (!data) return;
      return page.redirect(`/learning/${id}`, {
        success: { heading: 'Changes saved' },
      });
    }),
  );

  async function showPublish(page: Page, id: string) {
    const item = await loadItem(page, id);
    const themes = (
      await page.query<{ themes: { code: string; name: string }[] }>(
        'query Themes { themes(includeRetired: true) { code name } }',
      )
    ).themes;
    const { errors } = shownState(page.takeForm(`publish-${id}`));
    return page.render('learning/publish', {
      pageTitle: `Check before publishing: ${item.title}`,
      item,
      themeNames: Object.fromEntries(themes.map((t) => [t.code, t.name])),
      typeNames: LEARNING_TYPE_NAMES,
      actions: await itemActions(page, item),
      commandId: newCommandId(),
      errors: errors.summary,
    });
  }

  web.get(
    '/learning/:id/publish',
    pageHandler(graphql, async (page) => {
      const id = requireItemId(page.params.id);
      await page.requireMay('publishLearning', { input: { id } });
      return showPublish(page, id);
    }),
  );

  web.post(
    '/learning/:id/publish',
    pageHandler(graphql, async (page) => {
      const id = requireItemId(page.params.id);
      await page.requireMay('publishLearning', { input: { id } });
      const data = await submitForm(page, {
        form: `publish-${id}`,
        again: `/learning/${id}/publish`,
        fields: {},
        values: {},
        run: () => page.run(PUBLISH, { input: { id, ...commandFields(page.body) } }),
      });
      if (!data) return;
      return page.redirect(`/learning/${id}`, {
        success: {
          heading: 'Published',
          body: 'It is now in the learning library and the feed, for every council to find.',
        },
      });
    }),
  );
}
