import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { type GraphQLContext, commandMetadata } from './graphql-context.js';

/** Fields every mutation input accepts. */
@InputType({ isAbstract: true })
export abstract class CommandInput {
  @Field(() => ID, {
    nullable: true,
    description:
      'Optional UUID chosen by the client: sending the same commandId again applies the command once',
  })
  @IsOptional()
  @IsUUID('all', { message: 'commandId must be a UUID' })
  commandId?: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'The revision you last read; if the record has changed since, the command is refused with CONFLICT',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedRevision?: number;
}

function envelopeOf(input: CommandInput): { commandId?: string; expectedRevision?: bigint } {
  return {
    commandId: input.commandId ?? undefined,
    expectedRevision: input.expectedRevision == null ? undefined : BigInt(input.expectedRevision),
  };
}

/** What a mutation's command carries beside its request: who sent it, its commandId and expected revision. */
export function commandEnvelope(ctx: GraphQLContext, input: CommandInput) {
  return { metadata: commandMetadata(ctx, input.commandId), ...envelopeOf(input) };
}
