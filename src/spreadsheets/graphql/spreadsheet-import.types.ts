import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { IsAreaCode, DateTimeScalar } from '@iap/common/graphql';
import { CommandInput } from '../../shared/graphql-inputs.js';
import { FINANCIAL_QUARTER } from '../../shared/periods.js';

@ObjectType('SpreadsheetImport', { description: 'A quarterly return imported from a spreadsheet' })
export class SpreadsheetImportType {
  @Field(() => ID) id: string;
  @Field() areaCode: string;
  @Field({ description: 'e.g. 2019-20 Q3' }) quarter: string;
  @Field() fileName: string;
  @Field({ description: "The file's SHA-256 digest (hex)" }) digest: string;
  @Field(() => Int, { description: 'Rows of the file whose changes this import applied' })
  rowsApplied: number;
  @Field(() => String, { nullable: true }) actorSubject: string | null;
  @Field(() => String, { nullable: true }) actorName: string | null;
  @Field(() => DateTimeScalar) importedAt: Date;
}

@InputType()
export class RecordSpreadsheetImportInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;

  @Field({ description: 'e.g. 2019-20 Q3' })
  @IsString()
  @Matches(FINANCIAL_QUARTER, { message: 'quarter must be a financial quarter such as 2019-20 Q3' })
  quarter: string;

  @Field()
  @IsString()
  @MinLength(1, { message: 'fileName must not be blank' })
  @MaxLength(255, { message: 'fileName must be at most 255 characters' })
  fileName: string;

  @Field({ description: "The file's SHA-256 digest, 64 lowercase hex digits" })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, {
    message: "digest must be the file's SHA-256 digest (64 lowercase hex digits)",
  })
  digest: string;

  @Field(() => Int)
  @IsInt({ message: 'rowsApplied must be a whole number' })
  @Min(1, { message: 'rowsApplied must be at least 1' })
  rowsApplied: number;
}
