import { SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ONS_LOCAL_AUTHORITY_CODE } from '@iap/common';
import type { AuthActor, Role } from './roles.js';
import { VisibleResultInterceptor } from './visible-result.interceptor.js';

/** Who a policy can ever let through: the three roles, and ANONYMOUS for visitors without a token. */
export type Audience = Role | 'ANONYMOUS';

export type Decision = { readonly allow: true } | { readonly allow: false; readonly reason: string };

/** What a policy may look things up with (the owning area of an action, say): providers by their token. */
export interface PolicyDeps {
  get<T>(token: unknown): T;
}

/** The access rule of one operation (a root query, mutation or subscription field, or an HTTP route). */
export interface PolicyRule {
  /** Who may run it, in words: shown in refusals and in the policy table. */
  readonly summary: string;
  /** Every audience that can pass (some only for their own area). */
  readonly audiences: readonly Audience[];
  decide(
    actor: AuthActor | undefined,
    args: Readonly<Record<string, unknown>>,
    deps: PolicyDeps,
  ): Decision | Promise<Decision>;
  /** When set, a result the actor may not see is answered as null (e.g. a draft, to a visitor). */
  readonly visible?: (actor: AuthActor | undefined, result: unknown) => boolean;
}

export const POLICY_METADATA = 'iap:policy';

/**
 * The access policy of an operation: put it next to each @Query, @Mutation, @Subscription or controller route.
 * The PolicyGuard reads it; an operation without one is refused (fail closed). A policy with `visible` also puts
 * VisibleResultInterceptor on the operation.
 */
export const Policy = (rule: PolicyRule): MethodDecorator =>
  rule.visible
    ? applyDecorators(
        SetMetadata(POLICY_METADATA, rule),
        UseInterceptors(new VisibleResultInterceptor(rule.visible)),
      )
    : SetMetadata(POLICY_METADATA, rule);

const ALLOW: Decision = { allow: true };
const deny = (reason: string): Decision => ({ allow: false, reason });

/** Picks a value out of an operation's arguments (e.g. `(a) => a.input.areaCode`), tolerating any shape. */
export type ArgPicker = (args: Readonly<Record<string, unknown>>) => unknown;
/** Resolves the area that owns what an operation changes (e.g. an action's area, from its id). */
export type AreaResolver = (
  args: Readonly<Record<string, unknown>>,
  deps: PolicyDeps,
) => string | null | undefined | Promise<string | null | undefined>;

function safePick(pick: ArgPicker, args: Readonly<Record<string, unknown>>): unknown {
  try {
    return pick(args);
  } catch {
    return undefined;
  }
}

/** `input.areaCode` of a mutation, or undefined when the input is not shaped that way. */
export const inputField =
  (name: string): ArgPicker =>
  (args) => {
    const input = args.input;
    return typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[name] : undefined;
  };

function roles(list: readonly Role[], summary: string): PolicyRule {
  return {
    summary,
    audiences: list,
    decide: (actor) => (actor && list.includes(actor.role) ? ALLOW : deny(`Only ${summary} may do this`)),
  };
}

/**
 * An area-owned change: CENTRAL always; each of `owners` (PILOT by default) only when the area that owns the
 * thing changed is the actor's own area. An area that cannot be determined (malformed id, no such record) is
 * refused for owners: fail closed.
 */
function ownArea(resolve: AreaResolver, owners: readonly Role[], what: string): PolicyRule {
  const summary = `CENTRAL, or ${owners.join('/')} for their own area's ${what}`;
  return {
    summary,
    audiences: ['CENTRAL', ...owners],
    async decide(actor, args, deps) {
      if (!actor) return deny(`Only ${summary} may do this`);
      if (actor.role === 'CENTRAL') return ALLOW;
      if (!owners.includes(actor.role)) return deny(`Only ${summary} may do this`);
      let area: string | null | undefined;
      try {
        area = await resolve(args, deps);
      } catch {
        area = null;
      }
      if (typeof area === 'string' && area === actor.area) return ALLOW;
      return deny(
        typeof area === 'string' && ONS_LOCAL_AUTHORITY_CODE.test(area)
          ? `You act for ${actor.area}: you may not change ${area}'s ${what}`
          : `You act for ${actor.area}: this is not one of your area's ${what}`,
      );
    },
  };
}

/** The policies an operation can have. */
export const Policies = {
  /** Anyone, even without a token (published learning, the theme catalogue). */
  anyone: {
    summary: 'anyone',
    audiences: ['CENTRAL', 'PILOT', 'COUNCIL', 'ANONYMOUS'],
    decide: () => ALLOW,
  } as PolicyRule,
  /** Any signed-in user of the given roles. */
  roles: (...list: Role[]): PolicyRule => roles(list, list.join(' or ')),
  /** The central integration team only. */
  central: roles(['CENTRAL'], 'the central team (CENTRAL)'),
  /** Pilot-level records: the central team and every pilot (pilots read all pilots). */
  pilotReaders: roles(['CENTRAL', 'PILOT'], 'CENTRAL or PILOT users'),
  /** Programme-level reading: every signed-in council. */
  signedIn: roles(['CENTRAL', 'PILOT', 'COUNCIL'], 'signed-in users'),
  /** A change to the area named by `pick` (e.g. `inputField('areaCode')`). */
  ownArea: (pick: ArgPicker, what = 'records', owners: readonly Role[] = ['PILOT']): PolicyRule =>
    ownArea(
      (args) => {
        const v = safePick(pick, args);
        return typeof v === 'string' ? v : null;
      },
      owners,
      what,
    ),
  /** A change to something owned by an area found by `resolve` (e.g. the area of the action with this id). */
  ownAreaOf: (resolve: AreaResolver, what: string, owners: readonly Role[] = ['PILOT']): PolicyRule =>
    ownArea(resolve, owners, what),
  /** `rule`, but results `visible` refuses are answered as null. */
  showing: (
    rule: PolicyRule,
    visible: (actor: AuthActor | undefined, result: unknown) => boolean,
  ): PolicyRule => ({
    ...rule,
    decide: rule.decide.bind(rule),
    visible,
  }),
} as const;
