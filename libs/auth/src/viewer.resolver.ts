import { Inject } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { Args, Context, Field, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { BadUserInputError } from '@iap/common';
import { JsonScalar } from '@iap/common/graphql';
import { Policies, Policy, type PolicyDeps, type PolicyRule } from './policy.js';
import { operationPolicies } from './policy-audit.js';
import type { AuthActor } from './roles.js';

@ObjectType({
  description: 'Who is asking (from their token or web session), and what the access policy lets them do.',
})
export class Viewer {
  @Field({ description: 'Whether anyone is signed in (false: an anonymous visitor).' })
  signedIn!: boolean;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: 'CENTRAL, PILOT or COUNCIL; null for a visitor.' })
  role!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "ONS code of the viewer's council (PILOT and COUNCIL).",
  })
  area!: string | null;
}

interface ViewerContext {
  readonly actor?: AuthActor;
}

/**
 * `viewer`: who is asking, and `may(operation, args)`, which runs the very policy that guards a root operation, so
 * that a client (the web pages) shows only what the person may do without a rule of its own. It answers for
 * access only: the operation's validation and its data may still refuse it.
 */
@Resolver(() => Viewer)
export class ViewerResolver {
  private rules?: Map<string, PolicyRule | undefined>;
  private readonly deps: PolicyDeps;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(ModuleRef) moduleRef: ModuleRef,
  ) {
    this.deps = { get: <T>(token: unknown) => moduleRef.get<T>(token as never, { strict: false }) };
  }

  @Query(() => Viewer, { description: 'Who is asking, and what they may do.' })
  @Policy(Policies.anyone)
  viewer(@Context() ctx: ViewerContext): Viewer {
    const actor = ctx.actor;
    return {
      signedIn: actor !== undefined,
      subject: actor?.subject ?? null,
      name: actor?.name ?? null,
      role: actor?.role ?? null,
      area: actor?.area ?? null,
    };
  }

  @ResolveField(() => Boolean, {
    description:
      'Whether the access policy of a root operation ("Mutation.reportSpend", or just "reportSpend" for a mutation) lets the viewer run it with these arguments.',
  })
  async may(
    @Parent() _viewer: Viewer,
    @Args('operation') operation: string,
    @Args('args', { type: () => JsonScalar, nullable: true }) args: unknown,
    @Context() ctx: ViewerContext,
  ): Promise<boolean> {
    const rules = this.policies();
    const name = operation.includes('.') ? operation : `Mutation.${operation}`;
    if (!rules.has(name))
      throw BadUserInputError.field('operation', `there is no root operation called ${operation}`);
    if (args !== null && args !== undefined && (typeof args !== 'object' || Array.isArray(args)))
      throw BadUserInputError.field('args', "must be an object of the operation's arguments");
    const rule = rules.get(name);
    if (!rule) return false;
    const decision = await rule.decide(ctx.actor, (args ?? {}) as Record<string, unknown>, this.deps);
    return decision.allow;
  }

  private policies(): Map<string, PolicyRule | undefined> {
    this.rules ??= new Map(operationPolicies(this.discovery, this.scanner).map((o) => [o.operation, o.rule]));
    return this.rules;
  }
}
