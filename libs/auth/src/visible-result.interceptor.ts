import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { type GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { type Observable, map } from 'rxjs';
import { actorOfRequest } from './request-auth.js';
import type { AuthActor } from './roles.js';

/**
 * Answers null for a result its policy's `visible` refuses the actor (e.g. a draft learning item, to another
 * council). Put on the operations whose policy has `visible` only (the @Policy decorator does it): an
 * interceptor runs an rxjs pipeline around its handler on every request, which the other operations need not pay.
 */
export class VisibleResultInterceptor implements NestInterceptor {
  constructor(private readonly visible: (actor: AuthActor | undefined, result: unknown) => boolean) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const actor =
      context.getType<GqlContextType>() === 'graphql'
        ? GqlExecutionContext.create(context).getContext<{ actor?: AuthActor } | undefined>()?.actor
        : actorOfRequest(context.switchToHttp().getRequest());
    return next
      .handle()
      .pipe(map((result) => (result == null || this.visible(actor, result) ? result : null)));
  }
}
