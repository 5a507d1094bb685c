import type { MigrationInterface } from 'typeorm';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

export const LEARNING_MIGRATIONS: (new () => MigrationInterface)[] = [];

@Module({
  imports: [CqrsModule],
  providers: [],
  controllers: [],
})
export class LearningModule {}
