import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ROOT_TYPES } from '@iap/common/graphql';
import { POLICY_METADATA, type PolicyRule } from './policy.js';

/** @nestjs/graphql's marker of a root resolver method (Query, Mutation or Subscription). */
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_NAME_METADATA = 'graphql:resolver_name';

export interface OperationPolicy {
  readonly operation: string;
  readonly rule: PolicyRule | undefined;
}

/** Every root GraphQL operation of the application and its policy (undefined: none, so refused to all). */
export function operationPolicies(discovery: DiscoveryService, scanner: MetadataScanner): OperationPolicy[] {
  const found: OperationPolicy[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || typeof instance !== 'object') continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const fn = prototype[method] as object;
      const type = Reflect.getMetadata(RESOLVER_TYPE_METADATA, fn) as string | undefined;
      if (!type || !ROOT_TYPES.has(type)) continue;
      const name = (Reflect.getMetadata(RESOLVER_NAME_METADATA, fn) as string | undefined) ?? method;
      found.push({
        operation: `${type}.${name}`,
        rule: Reflect.getMetadata(POLICY_METADATA, fn) as PolicyRule,
      });
    }
  }
  return found.sort((a, b) => a.operation.localeCompare(b.operation));
}

/** At start-up, names every operation that has no @Policy (the guard refuses them to everyone). */
@Injectable()
export class PolicyAudit implements OnApplicationBootstrap {
  private readonly logger = new Logger('Policy');

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
  ) {}

  onApplicationBootstrap(): void {
    const missing = operationPolicies(this.discovery, this.scanner).filter((o) => !o.rule);
    if (missing.length > 0)
      this.logger.error(
        `Operations without an access policy, refused to everyone until they get one: ${missing.map((m) => m.operation).join(', ')}`,
      );
  }
}
