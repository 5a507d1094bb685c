import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { type GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ROOT_TYPES, inputValidationPipe } from '@iap/common/graphql';
import { CheckedOnlyError, PolicyForbiddenError, SignInRequiredError } from './errors.js';
import { actorOfRequest } from './request-auth.js';
import { POLICY_METADATA, type PolicyDeps, type PolicyRule } from './policy.js';
import type { AuthActor } from './roles.js';

interface Target {
  readonly kind: 'graphql' | 'http';
  readonly name: string;
  readonly actor: AuthActor | undefined;
  readonly args: Readonly<Record<string, unknown>>;
  /** Checked only (`validateOnly` in the GraphQL context): policy and input validation run, the handler never. */
  readonly validateOnly: boolean;
  /** A nested field: it inherits the policy of the root field above it. */
  readonly nested: boolean;
}

function targetOf(context: ExecutionContext): Target {
  if (context.getType<GqlContextType>() === 'graphql') {
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    const ctx = gql.getContext<{ actor?: AuthActor; validateOnly?: boolean }>();
    return {
      kind: 'graphql',
      name: `${info.parentType.name}.${info.fieldName}`,
      actor: ctx?.actor,
      args: (gql.getArgs() ?? {}) as Record<string, unknown>,
      validateOnly: ctx?.validateOnly === true,
      nested: !ROOT_TYPES.has(info.parentType.name),
    };
  }
  const request = context.switchToHttp().getRequest();
  return {
    kind: 'http',
    name: `${request?.method ?? 'HTTP'} ${request?.routeOptions?.url ?? request?.url ?? ''}`,
    actor: actorOfRequest(request),
    args: {},
    validateOnly: false,
    nested: false,
  };
}

/**
 * The one place access is decided: every root query, mutation and subscription field, and every HTTP route, runs
 * the @Policy next to it. No policy: refused (fail closed), so a new operation is closed until someone says who
 * may use it. Refusals happen before any pipe or handler runs, so nothing is written.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  private readonly logger = new Logger('Policy');
  private readonly deps: PolicyDeps;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ModuleRef) moduleRef: ModuleRef,
  ) {
    this.deps = { get: <T>(token: unknown) => moduleRef.get<T>(token as never, { strict: false }) };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const target = targetOf(context);
    if (target.nested) return true;
    const rule = this.reflector.get<PolicyRule | undefined>(POLICY_METADATA, context.getHandler());
    if (!rule) {
      this.logger.error(`${target.name} has no @Policy: refused`);
      return this.refuse(target, `${target.name} is not open to anyone yet (it has no access policy)`, true);
    }
    const decision = await rule.decide(target.actor, target.args, this.deps);
    if (decision.allow && !target.validateOnly) return true;
    // Input of the wrong shape is answered as such (BAD_USER_INPUT naming the field), not as a refusal of access:
    // a malformed area code is not "another area". The check reads only the input, never stored data.
    if (target.kind === 'graphql') await validateArguments(context, target.args);
    // A check only (a form's page still has problems of its own): every input problem is said above, with the
    // page's, and the operation itself is never run, whatever its input.
    if (decision.allow) throw new CheckedOnlyError();
    return this.refuse(target, decision.reason);
  }

  private refuse(target: Target, reason: string, forbidAlways = false): never {
    const signIn = !target.actor && !forbidAlways;
    if (target.kind === 'http') {
      throw signIn ? new UnauthorizedException(`Sign in first: ${reason}`) : new ForbiddenException(reason);
    }
    throw signIn ? new SignInRequiredError(`Sign in first: ${reason}`) : new PolicyForbiddenError(reason);
  }
}

/** @nestjs/graphql's metadata of a resolver method's parameters, and the `ARGS` parameter type. */
const PARAM_ARGS_METADATA = '__routeArguments__';
const GQL_ARGS = 3;
const NOT_VALIDATED = new Set<unknown>([String, Number, Boolean, Array, Object, Date]);

/**
 * Runs the input validation (the same pipe every resolver's arguments go through) on a root field's class-typed
 * arguments, throwing its BAD_USER_INPUT (whose fields ErrorLoggingFilter then names from the arguments:
 * `input.areaCode`).
 */
async function validateArguments(context: ExecutionContext, args: Readonly<Record<string, unknown>>) {
  const handler = context.getHandler();
  const params = (Reflect.getMetadata(PARAM_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', context.getClass().prototype, handler.name) ??
    []) as unknown[];
  if (Object.keys(params).length === 0) return;
  const pipe = inputValidationPipe();
  for (const [key, param] of Object.entries(params)) {
    if (!key.startsWith(`${GQL_ARGS}:`) || typeof param.data !== 'string') continue;
    const metatype = types[param.index];
    if (typeof metatype !== 'function' || NOT_VALIDATED.has(metatype) || args[param.data] == null) continue;
    await pipe.transform(args[param.data], {
      type: 'body',
      metatype: metatype as new () => unknown,
      data: param.data,
    });
  }
}

/** The policy of a handler, if any (for start-up checks and the policy table). */
export function policyOf(handler: object): PolicyRule | undefined {
  return Reflect.getMetadata(POLICY_METADATA, handler) as PolicyRule | undefined;
}
