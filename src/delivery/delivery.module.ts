import type { MigrationInterface } from 'typeorm';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

export const DELIVERY_MIGRATIONS: (new () => MigrationInterface)[] = [];

@Module({
  imports: [CqrsModule],
  providers: [],
})
export class DeliveryModule {}
