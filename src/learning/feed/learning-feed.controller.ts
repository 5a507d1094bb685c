import { Policies, Policy } from '@iap/auth';
import { BadRequestException, Controller, Get, Header, Inject, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EventStore } from '@iap/event-store';
import { v5 as uuidv5 } from 'uuid';
import { THEME_CODE, loadThemeCatalogue } from '../../themes/public-api.js';
import { LearningReadModel } from '../graphql/learning.read.js';
import { type AtomEntry, escapeHtml, paragraphs, renderAtom } from './atom.js';

/** Most entries in the feed: the newest published items. */
export const FEED_LIMIT = 50;
export const FEED_PATH = '/feeds/learning.atom';
/** Namespace of the feed ids (a fixed, arbitrary UUID): one stable id per feed (all themes, or one theme). */
const FEED_NAMESPACE = '3d0f6b8e-2a51-4c7e-9f0a-6c1b7d4e8a25';

/** The web page of a learning item, which an entry links to (anyone may read a published item). */
export function itemPath(id: string): string {
  return `/learning/${id}`;
}

/** The learning library as an Atom 1.0 feed, for any feed reader: published items, newest first. */
@Controller()
export class LearningFeedController {
  constructor(
    @Inject(LearningReadModel) private readonly read: LearningReadModel,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  @Policy(Policies.anyone)
  @Get('feeds/learning.atom')
  @Header('Content-Type', 'application/atom+xml; charset=utf-8')
  async learningFeed(@Query('theme') theme: unknown, @Req() request: FastifyRequest): Promise<string> {
    const catalogue = await loadThemeCatalogue(this.store);
    let themeCode: string | null = null;
    if (theme !== undefined) {
      if (typeof theme !== 'string')
        throw new BadRequestException('Give at most one theme, e.g. ?theme=ENGLISH_LANGUAGE');
      if (!THEME_CODE.test(theme) || !catalogue.has(theme)) {
        throw new BadRequestException(
          `Unknown theme "${theme.slice(0, 100)}": use a theme code from the catalogue, such as ${[...catalogue.keys()].slice(0, 3).join(', ')}`,
        );
      }
      themeCode = theme;
    }
    const { entries, updated } = await this.read.feed(themeCode, FEED_LIMIT);
    const path = themeCode ? `${FEED_PATH}?theme=${encodeURIComponent(themeCode)}` : FEED_PATH;
    const origin = `${request.protocol}://${request.host}`;
    const themeName = themeCode ? (catalogue.get(themeCode)?.name ?? themeCode) : null;
    return renderAtom({
      id: `urn:uuid:${uuidv5(`learning-feed:${themeCode ?? '*'}`, FEED_NAMESPACE)}`,
      title: themeName
        ? `Integration Area Programme learning: ${themeName}`
        : 'Integration Area Programme learning library',
      subtitle:
        'Case studies, lessons learned, evaluations, toolkits and guidance from the integration areas, for every council',
      updated: updated ?? new Date(),
      selfHref: `${origin}${path}`,
      authorName: 'Integration Area Programme',
      generator: 'Integration Area Programme tracker',
      entries: entries.map((item): AtomEntry => ({
        id: `urn:uuid:${item.id}`,
        title: item.title,
        updated: item.updatedAt,
        published: item.publishedAt!,
        summary: item.summary,
        authorName: item.areaName ?? item.areaCode,
        categories: item.themes.map((code) => ({ term: code, label: catalogue.get(code)?.name })),
        link: {
          href: `${origin}${itemPath(item.id)}`,
          type: 'text/html',
          title: item.title,
        },
        // The summary, then the body (as plain text in paragraphs: no Markdown is rendered), then the evidence.
        contentHtml:
          paragraphs(item.summary) +
          paragraphs(item.body) +
          (item.evidenceLinks.length > 0
            ? `<p>Evidence:</p><ul>${item.evidenceLinks
                .map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.title)}</a></li>`)
                .join('')}</ul>`
            : ''),
      })),
    });
  }
}
