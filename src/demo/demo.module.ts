import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DemoSeeder } from './demo.seeder.js';

/** The demo programme loader (`npm run cli -- seed:demo`, and `npm start` on an empty embedded database). */
@Module({
  imports: [CqrsModule],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class DemoModule {}
