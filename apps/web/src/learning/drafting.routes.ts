import type { FastifyInstance } from 'fastify';
import type { FormErrors } from '../forms.js';
import { newCommandId } from '../forms.js';
import type { OperationError } from '../graphql.js';
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
import { itemActions, notFound, readableErrors, requireItemId } from './learning.view.js';

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

const ITEM = `query DraftItem($id: ID!) {
  learningItem(id: $id) {
    id areaCode areaName type title summary body themes actionIds status publishedOn updatedAt revision
    adoptionCount retractedReason evidenceLinks { title url } adoptions { adoptingAreaCode note adoptedOn }
  }
  themes(includeRetired: true) { code name }
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

  /** The drafting form, new or revising, with what the person typed and the API's refusals. */
  async function showForm(
    page: Page,
    areaCode: string,
    form: DraftForm,
    options: { item?: LearningItem; errors?: FormErrors; commandId?: string },
  ) {
    const lookups = await page.query<Lookups>(FORM_LOOKUPS, { code: areaCode });
    if (!lookups.area) throw notFound();
    const item = options.item;
    const errors = options.errors;
    return page.render(
      'learning/draft-form',
      {
        pageTitle: item ? `Change: ${item.title}` : `Draft learning for ${lookups.area.name}`,
        area: lookups.area,
        item,
        form,
        evidence: evidenceRows(form),
        types: LEARNING_TYPES.map((t) => ({ value: t, text: LEARNING_TYPE_NAMES[t] })),
        themes: lookups.themes.filter((t) => !t.retired || form.themes.includes(t.code)),
        actions: lookups.actions.nodes,
        action: item ? `/learning/${item.id}/edit` : `/areas/${areaCode}/learning/new`,
        commandId: options.commandId ?? newCommandId(),
        expectedRevision: item?.revision,
        errors: errors?.summary ?? [],
        fieldErrors: errors?.byField ?? {},
      },
      errors ? 400 : 200,
    );
  }

  /** The API's refusals of a draft or revision, and a missing type (which the API cannot be sent). */
  function draftErrors(form: DraftForm, errors: readonly OperationError[]): FormErrors {
    const refused = readableErrors(errors, draftFields(), DRAFT_LABELS);
    if (!typeMissing(form, LEARNING_TYPES)) return refused;
    return {
      summary: [{ text: TYPE_ERROR, href: '#type' }, ...refused.summary],
      byField: { type: TYPE_ERROR, ...refused.byField },
    };
  }

  web.get(
    '/areas/:code/learning/new',
    pageHandler(graphql, async (page) => {
      const code = requireAreaCode(page.params.code);
      await page.requireMay('draftLearning', { input: { areaCode: code } });
      return showForm(page, code, EMPTY_DRAFT, {});
    }),
  );

  web.post(
    '/areas/:code/learning/new',
    pageHandler(graphql, async (page) => {
      const code = requireAreaCode(page.params.code);
      await page.requireMay('draftLearning', { input: { areaCode: code } });
      const form = draftFormFrom(page.request.body as Record<string, string | string[]>);
      const commandId = page.body.commandId || newCommandId();
      if (typeMissing(form, LEARNING_TYPES))
        return showForm(page, code, form, { errors: draftErrors(form, []), commandId });
      const result = await page.run<{ draftLearning: { id: string } }>(DRAFT, {
        input: { ...contentInput(form), areaCode: code, commandId },
      });
      if (result.errors.length)
        return showForm(page, code, form, { errors: draftErrors(form, result.errors), commandId });
      return page.redirect(`/learning/${result.data!.draftLearning.id}`, {
        success: {
          heading: 'Draft saved',
          body: 'Only your area and the central team can see it until you publish it.',
        },
      });
    }),
  );

  async function loadItem(page: Page, id: string): Promise<LearningItem> {
    const { learningItem: item } = await page.query<{ learningItem: LearningItem | null }>(ITEM, { id });
    if (!item) throw notFound();
    return item;
  }

  web.get(
    '/learning/:id/edit',
    pageHandler(graphql, async (page) => {
      const id = requireItemId(page.params.id);
      await page.requireMay('reviseLearning', { input: { id } });
      const item = await loadItem(page, id);
      return showForm(page, item.areaCode, draftFormOf(item), { item });
    }),
  );

  web.post(
    '/learning/:id/edit',
    pageHandler(graphql, async (page) => {
      const id = requireItemId(page.params.id);
      await page.requireMay('reviseLearning', { input: { id } });
      const form = draftFormFrom(page.request.body as Record<string, string | string[]>);
      const commandId = page.body.commandId || newCommandId();
      const expectedRevision = Number(page.body.expectedRevision);
      if (typeMissing(form, LEARNING_TYPES)) {
        const item = await loadItem(page, id);
        return showForm(page, item.areaCode, form, {
          item,
          errors: draftErrors(form, []),
          commandId,
        });
      }
      const result = await page.run<{ reviseLearning: { id: string } }>(REVISE, {
        input: {
          id,
          ...contentInput(form),
          ...(form.reason.trim() ? { reason: form.reason } : {}),
          commandId,
          ...(Number.isInteger(expectedRevision) ? { expectedRevision } : {}),
        },
      });
      if (result.errors.length) {
        const item = await loadItem(page, id);
        const conflict = result.errors.some((e) => e.code === 'CONFLICT');
        // A change since the page was drawn: show the item as it now is, saying so.
        return showForm(page, item.areaCode, conflict ? draftFormOf(item) : form, {
          item,
          errors: draftErrors(form, result.errors),
          commandId: conflict ? newCommandId() : commandId,
        });
      }
      return page.redirect(`/learning/${id}`, {
        success: { heading: 'Changes saved' },
      });
    }),
  );

  async function showPublish(page: Page, id: string, errors?: FormErrors) {
    const item = await loadItem(page, id);
    const themes = (
      await page.query<{ themes: { code: string; name: string }[] }>(
        'query Themes { themes(includeRetired: true) { code name } }',
      )
    ).themes;
    return page.render(
      'learning/publish',
      {
        pageTitle: `Check before publishing: ${item.title}`,
        item,
        themeNames: Object.fromEntries(themes.map((t) => [t.code, t.name])),
        typeNames: LEARNING_TYPE_NAMES,
        actions: await itemActions(page, item),
        commandId: newCommandId(),
        errors: errors?.summary ?? [],
      },
      errors ? 409 : 200,
    );
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
      const expectedRevision = Number(page.body.expectedRevision);
      const result = await page.run(PUBLISH, {
        input: {
          id,
          commandId: page.body.commandId || newCommandId(),
          ...(Number.isInteger(expectedRevision) ? { expectedRevision } : {}),
        },
      });
      if (result.errors.length) return showPublish(page, id, readableErrors(result.errors, {}, {}));
      return page.redirect(`/learning/${id}`, {
        success: {
          heading: 'Published',
          body: 'It is now in the learning library and the feed, for every council to find.',
        },
      });
    }),
  );
}
