import { randomBytes, createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOfRequest } from '@iap/auth';
import {
  CSV_TYPE,
  DATA_SHEETS,
  XLSX_TYPE,
  type CurrentFigures,
  type ReturnPlan,
  describeProblem,
  digestOf,
  sheetBySlug,
  templateCsv,
  templateXlsx,
} from '../../../../src/spreadsheets/public-api.js';
import { financialQuarterOf, todayInEngland } from '../../../../src/shared/periods.js';
import { OperationFailed } from '../graphql.js';
import { errorPage, isDatabaseAway, unavailableJson } from '../errors.js';
import { type Page, pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { areaAllowing, areaArgs, areaCodeOf, notFound } from '../area/area-page.js';
import { quarterOfSlug, quarterSlug } from '../outcomes/outcomes.view.js';
import {
  type Checked,
  type Run,
  type UploadedFile,
  ReturnRefused,
  applyReturn,
  checkReturn,
  figuresFor,
} from './return-spreadsheet.js';

/** Uploads larger than this are refused (UPLOAD_MAX_BYTES, 5 MB by default). */
export const DEFAULT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

/** The first quarter the quarter list offers: the pilots began in 2018-19. */
const FIRST_QUARTER = '2018-19 Q1';

/** Problems listed on the page at most (the rest are counted). */
const MAX_SHOWN = 50;

/** What the multipart reader makes of the `file` field. */
interface FilePart {
  readonly fileName: string;
  readonly content?: Buffer;
  readonly tooLarge?: boolean;
}

/** Checked uploads waiting for confirmation, by a random token (in memory: kept 30 minutes, at most 100). */
class PendingUploads {
  private readonly items = new Map<
    string,
    { owner: string; file: UploadedFile; digest: string; expires: number }
  >();

  keep(owner: string, file: UploadedFile, digest: string): string {
    const now = Date.now();
    for (const [k, v] of this.items) if (v.expires < now || this.items.size >= 100) this.items.delete(k);
    const token = randomBytes(16).toString('hex');
    this.items.set(token, { owner, file, digest, expires: now + 30 * 60_000 });
    return token;
  }

  take(owner: string, token: string) {
    const item = this.items.get(token);
    return item && item.owner === owner && item.expires >= Date.now() ? item : undefined;
  }

  drop(token: string): void {
    this.items.delete(token);
  }
}

/** A digest of what a plan would do, so that confirming applies exactly what the person checked. */
function planDigest(plan: ReturnPlan): string {
  return createHash('sha256').update(JSON.stringify(plan.operations)).digest('hex').slice(0, 32);
}

const KIND_TAG: Record<string, { text: string; classes: string }> = {
  new: { text: 'New', classes: 'govuk-tag--green' },
  changed: { text: 'Changed', classes: 'govuk-tag--blue' },
  unchanged: { text: 'Unchanged', classes: 'govuk-tag--grey' },
};

/** The plan as the check page shows it: sheet by sheet, changed rows first. */
function previewOf(plan: ReturnPlan) {
  return DATA_SHEETS.map((def) => {
    const rows = plan.rows.filter((r) => r.sheet === def.name);
    return {
      name: def.name,
      rows: [
        ...rows.filter((r) => r.kind !== 'unchanged'),
        ...rows.filter((r) => r.kind === 'unchanged'),
      ].map((r) => ({ ...r, tag: KIND_TAG[r.kind] })),
    };
  }).filter((s) => s.rows.length > 0);
}

function fileNameOf(figures: CurrentFigures, ext: string, slug?: string): string {
  return `return-${figures.areaCode}-${quarterSlug(figures.quarter)}${slug ? `-${slug}` : ''}.${ext}`;
}

/** Sends the template (XLSX, or one sheet as CSV) as a download. */
async function sendTemplate(
  reply: FastifyReply,
  figures: CurrentFigures,
  file: string,
): Promise<FastifyReply> {
  if (file === 'template.xlsx')
    return reply
      .header('content-disposition', `attachment; filename="${fileNameOf(figures, 'xlsx')}"`)
      .header('cache-control', 'no-store')
      .type(XLSX_TYPE)
      .send(await templateXlsx(figures));
  const def = sheetBySlug(file.replace(/\.csv$/, ''));
  if (!def || !file.endsWith('.csv')) return reply.code(404).type('text/plain').send('Not found');
  return reply
    .header('content-disposition', `attachment; filename="${fileNameOf(figures, 'csv', def.slug)}"`)
    .header('cache-control', 'no-store')
    .type(CSV_TYPE)
    .send('\uFEFF' + templateCsv(figures, def));
}

/**
 * Quarterly returns by spreadsheet: a page to download the template and upload it (GOV.UK "upload a file"),
 * a check of what will change, and the same for scripts at /api/… with a bearer token. Every read and change
 * is a GraphQL operation run as the person (or the token's holder), so the API's policies and rules apply.
 */
export async function spreadsheetRoutes(
  web: FastifyInstance,
  { graphql, settings, availability }: WebRouteDeps,
): Promise<void> {
  const maxBytes = settings.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  const megabytes = `${Math.round((maxBytes / (1024 * 1024)) * 10) / 10} MB`;
  const pending = new PendingUploads();
  await web.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096 },
    throwFileSizeLimit: false,
    async onFile(part) {
      const fileName = part.filename ?? '';
      const content = await part.toBuffer();
      (part as unknown as { value: FilePart }).value = part.file.truncated
        ? { fileName, tooLarge: true }
        : { fileName, content };
    },
  });

  // The script endpoint answers in JSON (never a page), like the API: a code and a message, no stack.
  web.setErrorHandler((error, request, reply) => {
    if (!request.url.startsWith('/api/')) return errorPage(error, request, reply, availability);
    if (isDatabaseAway(error)) {
      availability?.foundDatabaseAway(request);
      return unavailableJson(reply);
    }
    const refusal = error instanceof ReturnRefused ? error.errors[0] : undefined;
    const status = refusal?.code === 'FORBIDDEN' ? 403 : (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return reply
        .code(status)
        .send({ code: refusal?.code ?? 'BAD_REQUEST', message: (error as Error).message });
    request.log.error({ err: error }, 'Spreadsheet upload failed');
    return reply
      .code(500)
      .send({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong: quote ' + String(request.id) });
  });

  const fileProblem = (part: unknown): string | undefined => {
    const file = part as FilePart | undefined;
    if (!file || typeof file !== 'object' || (!file.tooLarge && !file.content?.length && !file.fileName))
      return 'Select a spreadsheet file';
    if (file.tooLarge) return `The selected file must be smaller than ${megabytes}`;
    if (!file.content?.length) return 'The selected file is empty';
    return undefined;
  };

  /** The area and quarter of the address (404 when either cannot be one). */
  const placeOf = (page: Page) => {
    const code = areaCodeOf(page);
    const quarter = quarterOfSlug(page.params.quarter);
    if (!quarter) notFound('The quarter');
    return { code, quarter };
  };
  const runAs =
    (page: Page): Run =>
    (source, variables) =>
      page.run(source, variables);
  const figuresOf = async (run: Run, code: string, quarter: string) => {
    try {
      return await figuresFor(run, code, quarter);
    } catch (err) {
      if (err instanceof ReturnRefused) throw new OperationFailed(err.errors);
      throw err;
    }
  };

  const uploadPage = async (
    page: Page,
    code: string,
    quarter: string,
    problems: string[] = [],
    status = 200,
  ) => {
    const figures = await figuresOf(runAs(page), code, quarter);
    if (!figures) notFound('The area');
    const imports = await page.query<{ area: { spreadsheetImports: unknown[] } }>(
      `query Imports($code: String!) { area(code: $code) { spreadsheetImports { quarter fileName digest rowsApplied actorName importedAt } } }`,
      { code },
    );
    const today = financialQuarterOf(todayInEngland(new Date())).name;
    // Every quarter of the programme (from 2018-19, when the pilots began) to the next one, newest first.
    const quarters: string[] = [];
    for (let q = shiftQuarter(today, 1); q >= FIRST_QUARTER; q = shiftQuarter(q, -1)) quarters.push(q);
    if (!quarters.includes(quarter)) quarters.unshift(quarter);
    return page.render(
      'spreadsheets/upload',
      {
        area: { code, name: figures.areaName },
        quarter,
        slug: quarterSlug(quarter),
        locked: figures.locked,
        quarterItems: quarters.map((q) => ({ value: quarterSlug(q), text: q, selected: q === quarter })),
        sheets: DATA_SHEETS.map((d) => ({ name: d.name, slug: d.slug })),
        problemList: [
          ...problems.slice(0, MAX_SHOWN).map((text) => ({ text, href: '#file' })),
          ...(problems.length > MAX_SHOWN
            ? [{ text: `and ${problems.length - MAX_SHOWN} more problems`, href: '#file' }]
            : []),
        ],
        fileError:
          problems.length === 0
            ? undefined
            : problems.length === 1
              ? problems[0]
              : `The selected file has ${problems.length} problems, listed at the top of the page: nothing was changed`,
        megabytes,
        imports: imports.area.spreadsheetImports,
      },
      status,
    );
  };

  // ---------------------------------------------------------------------------------- the page for people
  web.get(
    '/areas/:code/spreadsheet',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'recordSpreadsheetImport');
      const chosen = quarterOfSlug(page.search.quarter);
      if (!chosen) {
        const today = financialQuarterOf(todayInEngland(new Date())).name;
        return page.redirect(`/areas/${code}/spreadsheet/${quarterSlug(shiftQuarter(today, -1))}`);
      }
      return page.redirect(`/areas/${code}/spreadsheet/${quarterSlug(chosen)}`);
    }),
  );

  web.get(
    '/areas/:code/spreadsheet/:quarter',
    pageHandler(graphql, async (page) => {
      const { code, quarter } = placeOf(page);
      await page.requireMay('recordSpreadsheetImport', areaArgs(code));
      return uploadPage(page, code, quarter);
    }),
  );

  web.get(
    '/areas/:code/spreadsheet/:quarter/:file',
    pageHandler(graphql, async (page) => {
      const { code, quarter } = placeOf(page);
      await page.requireMay('recordSpreadsheetImport', areaArgs(code));
      const figures = await figuresOf(runAs(page), code, quarter);
      if (!figures) notFound('The area');
      return sendTemplate(page.reply, figures, page.params.file);
    }),
  );

  web.post(
    '/areas/:code/spreadsheet/:quarter/upload',
    pageHandler(graphql, async (page) => {
      const { code, quarter } = placeOf(page);
      const user = page.requireSignedIn();
      await page.requireMay('recordSpreadsheetImport', areaArgs(code));
      const part = (page.request.body as Record<string, unknown> | undefined)?.file;
      const problem = fileProblem(part);
      if (problem) return uploadPage(page, code, quarter, [problem], 400);
      const file = part as Required<FilePart>;
      const digest = digestOf(file.content);
      const checked = await checkReturn(
        runAs(page),
        code,
        quarter,
        { fileName: file.fileName, content: file.content },
        digest,
      );
      if (!checked.ok) return uploadPage(page, code, quarter, checked.problems.map(describeProblem), 400);
      const token = pending.keep(user.subject, { fileName: file.fileName, content: file.content }, digest);
      return page.redirect(`/areas/${code}/spreadsheet/${quarterSlug(quarter)}/check/${token}`);
    }),
  );

  const checkPage = async (
    page: Page,
    code: string,
    quarter: string,
    token: string,
    checked: Extract<Checked, { ok: true }>,
    fileName: string,
    notice?: string,
  ) =>
    page.render('spreadsheets/check', {
      area: { code, name: checked.figures.areaName },
      quarter,
      slug: quarterSlug(quarter),
      token,
      fileName,
      digest: checked.digest,
      counts: checked.plan.counts,
      sheets: previewOf(checked.plan),
      planDigest: planDigest(checked.plan),
      changes: checked.plan.operations.length,
      notice,
    });

  /**
   * The upload the check page's token holds, checked again against the area's records as they are now; or, when
   * it is no longer held or no longer passes, the upload page that says so (`answer`).
   */
  const recheck = async (page: Page) => {
    const { code, quarter } = placeOf(page);
    const user = page.requireSignedIn();
    await page.requireMay('recordSpreadsheetImport', areaArgs(code));
    const item = pending.take(user.subject, page.params.token ?? '');
    if (!item) {
      const problem = 'The file you uploaded is no longer held: upload it again';
      return { answer: await uploadPage(page, code, quarter, [problem], 404) };
    }
    const checked = await checkReturn(runAs(page), code, quarter, item.file, item.digest);
    if (!checked.ok)
      return { answer: await uploadPage(page, code, quarter, checked.problems.map(describeProblem), 409) };
    return { code, quarter, item, checked };
  };

  web.get(
    '/areas/:code/spreadsheet/:quarter/check/:token',
    pageHandler(graphql, async (page) => {
      const held = await recheck(page);
      if ('answer' in held) return held.answer;
      const { code, quarter, item, checked } = held;
      return checkPage(page, code, quarter, page.params.token, checked, item.file.fileName);
    }),
  );

  web.post(
    '/areas/:code/spreadsheet/:quarter/check/:token',
    pageHandler(graphql, async (page) => {
      const held = await recheck(page);
      if ('answer' in held) return held.answer;
      const { code, quarter, item, checked } = held;
      if (planDigest(checked.plan) !== page.body.planDigest)
        return checkPage(
          page,
          code,
          quarter,
          page.params.token,
          checked,
          item.file.fileName,
          "The area's records changed after you checked the file: check what will change now, then confirm again.",
        );
      const applied = await applyReturn(runAs(page), checked, item.file.fileName);
      pending.drop(page.params.token);
      const where = `/areas/${code}/spreadsheet/${quarterSlug(quarter)}`;
      if (applied.stoppedAt)
        return uploadPage(
          page,
          code,
          quarter,
          [
            `${applied.stoppedAt.sheet}, row ${applied.stoppedAt.row}: ${applied.stoppedAt.message}. ` +
              `${applied.rowsApplied} ${applied.rowsApplied === 1 ? 'row was' : 'rows were'} applied before it; correct the row and upload the file again to apply the rest.`,
          ],
          409,
        );
      return page.redirect(where, {
        success: {
          heading: checked.plan.operations.length === 0 ? 'Nothing to change' : `${quarter} return uploaded`,
          body:
            checked.plan.operations.length === 0
              ? `Every row of ${item.file.fileName} is already recorded.`
              : `${applied.rowsApplied} ${applied.rowsApplied === 1 ? 'row' : 'rows'} of ${item.file.fileName} applied.`,
        },
      });
    }),
  );

  // --------------------------------------------------------------------------------------- for scripts
  /** The bearer token's holder (never the page session); 401 without one. */
  const apiRun = (request: FastifyRequest): Run | undefined => {
    const actor = actorOfRequest(request);
    return actor ? (source, variables) => graphql.run(request, actor, source, variables) : undefined;
  };
  const apiPlace = async (request: FastifyRequest, reply: FastifyReply) => {
    const run = apiRun(request);
    const { code, quarter: slug } = request.params as Record<string, string>;
    const quarter = quarterOfSlug(slug);
    if (!run) {
      void reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ code: 'UNAUTHENTICATED', message: 'Send a bearer token (Authorization: Bearer <token>)' });
      return undefined;
    }
    if (!/^[EWSN]\d{8}$/.test(code ?? '') || !quarter) {
      void reply.code(404).send({
        code: 'NOT_FOUND',
        message: 'No such area or quarter (use e.g. /api/areas/E06000008/returns/2019-20-q3/spreadsheet)',
      });
      return undefined;
    }
    const may = await run<{ viewer: { may: boolean } }>(
      'query May($args: JSON) { viewer { may(operation: "recordSpreadsheetImport", args: $args) } }',
      { args: areaArgs(code) },
    );
    if (!may.data?.viewer.may) {
      void reply.code(403).send({ code: 'FORBIDDEN', message: `Your token cannot change ${code}'s returns` });
      return undefined;
    }
    return { run, code, quarter };
  };
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  web.get('/api/areas/:code/returns/:quarter/:file', async (request, reply) => {
    const place = await apiPlace(request, noStore(reply));
    if (!place) return reply;
    const figures = await figuresFor(place.run, place.code, place.quarter);
    if (!figures)
      return reply.code(404).send({ code: 'NOT_FOUND', message: `Area ${place.code} was not found` });
    return sendTemplate(reply, figures, (request.params as Record<string, string>).file);
  });

  web.post(
    '/api/areas/:code/returns/:quarter/spreadsheet',
    { config: { csrf: false } },
    async (request, reply) => {
      const place = await apiPlace(request, noStore(reply));
      if (!place) return reply;
      const part = (request.body as Record<string, unknown> | undefined)?.file;
      const problem = fileProblem(part);
      if (problem)
        return reply
          .code((part as FilePart | undefined)?.tooLarge ? 413 : 400)
          .send({ code: 'BAD_FILE', problems: [{ message: problem }] });
      const file = part as Required<FilePart>;
      const digest = digestOf(file.content);
      const checked = await checkReturn(place.run, place.code, place.quarter, file, digest);
      if (!checked.ok)
        return reply.code(422).send({
          code: 'BAD_FILE',
          problems: checked.problems.map((p) => ({ ...p, text: describeProblem(p) })),
        });
      const preview = {
        digest,
        counts: checked.plan.counts,
        rows: checked.plan.rows.map(({ sheet, row, kind, label, changes }) => ({
          sheet,
          row,
          kind,
          label,
          changes,
        })),
      };
      if ((request.query as Record<string, string>).apply !== 'true')
        return reply.send({ applied: false, ...preview });
      const applied = await applyReturn(place.run, checked, file.fileName);
      return reply
        .code(applied.stoppedAt ? 409 : 200)
        .send({ applied: !applied.stoppedAt, ...preview, ...applied });
    },
  );
}

/** The quarter `by` quarters after `quarter` (before, when negative). */
function shiftQuarter(quarter: string, by: number): string {
  const m = /^(\d{4})-\d{2} Q([1-4])$/.exec(quarter)!;
  const index = Number(m[1]) * 4 + Number(m[2]) - 1 + by;
  const start = Math.floor(index / 4);
  return `${start}-${String((start + 1) % 100).padStart(2, '0')} Q${(index % 4) + 1}`;
}
