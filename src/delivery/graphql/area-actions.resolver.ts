import { Inject } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { pageSize, toConnection } from '@iap/common';
import { AreaType } from '../../areas/public-api.js';
import { type GraphQLContext, groupBy, loaderFor } from '../../shared/graphql-context.js';
import { ACTION_STATUSES } from '../domain/action.js';
import { ALL_THEMES } from '../projections/actions.projection.js';
import { ACTION_COLUMNS, actionKey, checkFilter, keysetAfter } from './action.resolver.js';
import { ActionConnection, ActionCountType, AreaActionFilter, type ActionType } from './action.type.js';

/** An area's actions and their counts: each field costs one query for a whole list of areas. */
@Resolver(() => AreaType)
export class AreaActionsResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @ResolveField(() => ActionConnection, {
    description: "The area's actions, by planned start then id, a page at a time",
  })
  actions(
    @Parent() area: AreaType,
    @Context() ctx: GraphQLContext,
    @Args('filter', { type: () => AreaActionFilter, nullable: true }) filter: AreaActionFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ActionConnection> {
    const { status, theme } = checkFilter(filter);
    const limit = pageSize(first);
    const cursor = keysetAfter(after);
    // One loader per distinct arguments: the areas of a list that share them share one query.
    const name = `areaActions:${JSON.stringify([status, theme, limit, cursor])}`;
    return loaderFor<string, ActionConnection>(ctx, name, async (codes) => {
      // Each area's page is read on its own through the (area, planned_start, id) index: first the page's ids
      // (from the index alone), then their rows, one by one. Asked "as it stood then", actions are the history's
      // versions and the live rows together: the ids come from merging the two tables' index scans, and only
      // the page's rows are fetched.
      const rows: ActionType[] = await this.db.query(
        `SELECT page.* FROM unnest($1::text[]) AS area(code)
         CROSS JOIN LATERAL (
           SELECT a.*
             FROM (SELECT id FROM actions
                    WHERE area_code = area.code
                      AND ($2::text IS NULL OR status = $2)
                      AND ($3::text IS NULL OR themes @> ARRAY[$3::text])
                      AND ($4::date IS NULL OR (planned_start, id) > ($4::date, $5::uuid))
                    ORDER BY planned_start, id
                    LIMIT $6) AS k
             -- LIMIT 1: a lookup per id (not a join the planner may turn into a scan of every row)
             CROSS JOIN LATERAL (SELECT ${ACTION_COLUMNS} FROM actions WHERE id = k.id LIMIT 1) AS a
         ) page
         ORDER BY "areaCode", "plannedStart", id`,
        [codes, status, theme, cursor?.[0] ?? null, cursor?.[1] ?? null, limit + 1],
      );
      return groupBy(codes, rows, (r) => r.areaCode).map((list, i) => ({
        ...toConnection(list, limit, actionKey, (action) => action),
        countKey: { areaCode: codes[i], status, theme },
      }));
    }).load(area.code);
  }

  @ResolveField(() => [ActionCountType], {
    description:
      "How many of the area's actions are in each status, per theme (an action with two themes counts under each)",
  })
  actionCounts(@Parent() area: AreaType, @Context() ctx: GraphQLContext): Promise<ActionCountType[]> {
    return loaderFor<string, (ActionCountType & { areaCode: string })[]>(
      ctx,
      'actionCountsByArea',
      async (codes) =>
        groupBy(
          codes,
          await this.db.query(
            `SELECT area_code AS "areaCode", status, theme, count
             FROM area_action_counts
            WHERE area_code = ANY($1) AND theme <> $2 AND count > 0
            ORDER BY area_code, array_position($3::text[], status), theme`,
            [codes, ALL_THEMES, ACTION_STATUSES],
          ),
          (r: ActionCountType & { areaCode: string }) => r.areaCode,
        ),
    ).load(area.code);
  }
}
