import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ModuleRef } from '@nestjs/core';
import { Policies, Policy, inputField } from './policy.js';
import { PolicyGuard } from './policy.guard.js';
import type { AuthActor } from './roles.js';

class Resolvers {
  @Policy(Policies.central)
  central(): void {}

  @Policy(Policies.ownArea(inputField('areaCode'), 'actions'))
  planAction(): void {}

  @Policy(Policies.ownArea(inputField('adoptingAreaCode'), 'adoptions', ['PILOT', 'COUNCIL']))
  adopt(): void {}

  @Policy(Policies.anyone)
  library(): void {}

  /** No @Policy: must be refused to everyone, even the central team. */
  forgotten(): void {}
}

function gqlContext(
  handler: keyof Resolvers,
  actor: AuthActor | undefined,
  args: Record<string, unknown> = {},
  parentType = 'Mutation',
  validateOnly?: boolean,
): ExecutionContext {
  const list = [{}, args, { actor, validateOnly }, { parentType: { name: parentType }, fieldName: handler }];
  return {
    getType: () => 'graphql',
    getClass: () => Resolvers,
    getHandler: () => Resolvers.prototype[handler],
    getArgs: () => list,
    getArgByIndex: (i: number) => list[i],
    switchToHttp: () => {
      throw new Error('not http');
    },
    switchToRpc: () => {
      throw new Error('not rpc');
    },
    switchToWs: () => {
      throw new Error('not ws');
    },
  } as unknown as ExecutionContext;
}

const guard = new PolicyGuard(new Reflector(), { get: () => undefined } as unknown as ModuleRef);
const CENTRAL: AuthActor = { subject: 'c', role: 'CENTRAL' };
const PILOT: AuthActor = { subject: 'p', role: 'PILOT', area: 'E06000008' };
const COUNCIL: AuthActor = { subject: 'k', role: 'COUNCIL', area: 'E06000016' };

async function outcome(ctx: ExecutionContext): Promise<string> {
  try {
    return (await guard.canActivate(ctx)) ? 'ALLOWED' : 'REFUSED';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

describe('PolicyGuard', () => {
  it('runs no operation checked only (validateOnly): allowed, it is refused as checked; forbidden, as before', async () => {
    const checked = (actor: AuthActor) =>
      outcome(gqlContext('planAction', actor, { input: { areaCode: 'E06000008' } }, 'Mutation', true));
    expect(await checked(PILOT)).toBe('BAD_REQUEST');
    expect(await checked({ ...PILOT, area: 'E08000032' })).toBe('FORBIDDEN');
  });

  it('refuses an operation without a policy to everyone (fail closed)', async () => {
    for (const actor of [CENTRAL, PILOT, COUNCIL, undefined])
      expect(await outcome(gqlContext('forgotten', actor))).toBe('FORBIDDEN');
  });

  it('applies role policies, and asks anonymous visitors to sign in', async () => {
    expect(await outcome(gqlContext('central', CENTRAL))).toBe('ALLOWED');
    expect(await outcome(gqlContext('central', PILOT))).toBe('FORBIDDEN');
    expect(await outcome(gqlContext('central', undefined))).toBe('UNAUTHENTICATED');
    expect(await outcome(gqlContext('library', undefined))).toBe('ALLOWED');
  });

  it('lets a pilot change only its own area, and refuses inputs of the wrong shape', async () => {
    expect(await outcome(gqlContext('planAction', PILOT, { input: { areaCode: 'E06000008' } }))).toBe(
      'ALLOWED',
    );
    expect(await outcome(gqlContext('planAction', PILOT, { input: { areaCode: 'E08000032' } }))).toBe(
      'FORBIDDEN',
    );
    expect(await outcome(gqlContext('planAction', PILOT, { input: { areaCode: 42 } }))).toBe('FORBIDDEN');
    expect(await outcome(gqlContext('planAction', PILOT, { input: 'E06000008' }))).toBe('FORBIDDEN');
    expect(await outcome(gqlContext('planAction', COUNCIL, { input: { areaCode: 'E06000016' } }))).toBe(
      'FORBIDDEN',
    );
    expect(await outcome(gqlContext('planAction', CENTRAL, { input: { areaCode: 'E08000032' } }))).toBe(
      'ALLOWED',
    );
    expect(await outcome(gqlContext('adopt', COUNCIL, { input: { adoptingAreaCode: 'E06000016' } }))).toBe(
      'ALLOWED',
    );
    expect(await outcome(gqlContext('adopt', COUNCIL, { input: { adoptingAreaCode: 'E06000008' } }))).toBe(
      'FORBIDDEN',
    );
  });

  it('leaves nested fields to the policy of their root field', async () => {
    expect(await outcome(gqlContext('forgotten', undefined, {}, 'Area'))).toBe('ALLOWED');
  });
});
