import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read model: one row per registered area. Written only by AreasProjection. */
@Entity('areas')
export class AreaRow {
  @PrimaryColumn('text')
  code: string;

  @Column('text')
  name: string;

  @Column('text')
  kind: string;

  @Column('text')
  region: string;

  @Column('timestamptz', { name: 'registered_at' })
  registeredAt: Date;
}
