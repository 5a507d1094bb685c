import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventStore } from '@iap/event-store';
import { decideAndAppend } from '../shared/commands.js';
import { DEFAULT_THEMES, THEME_CATALOGUE_STREAM, themeDecider } from './domain/theme.js';
import { loadThemeCatalogue } from './commands/theme.commands.js';

/** Defines the programme's starting themes, once, through the real command (so they are real events). */
@Injectable()
export class ThemesSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger('Themes');
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    const catalogue = await loadThemeCatalogue(this.store);
    if (catalogue.size > 0) return;
    for (const theme of DEFAULT_THEMES) {
      await decideAndAppend(
        this.store,
        THEME_CATALOGUE_STREAM,
        themeDecider,
        { type: 'DefineTheme', ...theme },
        {
          metadata: {
            actor: { subject: 'system', name: 'Programme set-up' },
            correlationId: 'themes-seed-v1',
          },
          commandId: undefined,
        },
      ).catch((err: unknown) => {
        // Two instances starting at once: the other one defined it.
        if ((err as { code?: string }).code !== 'CONFLICT') throw err;
      });
    }
    this.logger.log(`Defined the ${DEFAULT_THEMES.length} starting themes`);
  }
}
