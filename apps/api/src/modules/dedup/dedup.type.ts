import { ArrayMaxSize, IsBoolean, IsInt, IsNumber, IsOptional, IsUUID, Max, Min } from "class-validator";
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DedupRuleKind, DuplicateSetStatus, RegistrantStatus } from "@pbms/db";
import { ListArgs } from "../../graphql/list.ts";

registerEnumType(DedupRuleKind, {
  name: "DedupRuleKind",
  description: "A criterion by which two registrants may be the same",
  valuesConfig: {
    SAME_IDENTIFIER: {
      description:
        "Same identifier type and value, ignoring case, spaces and punctuation (exact copies are already refused)",
    },
    SAME_PHONE: { description: "Same phone number (E.164)" },
    SAME_FINANCIAL_ADDRESS: { description: "Same bank account or mobile wallet (G2P Connect address)" },
    SIMILAR_NAME_BIRTH_DATE: {
      description:
        "Names at least nameThreshold similar (trigrams) and birth dates at most birthDateDays apart",
    },
  },
});
registerEnumType(DuplicateSetStatus, {
  name: "DuplicateSetStatus",
  description:
    "Review state of a duplicate set: OPEN → NOT_DUPLICATE | MERGED (a reverted merge re-opens it)",
  valuesConfig: {
    OPEN: { description: "Waiting for a reviewer" },
    NOT_DUPLICATE: { description: "A reviewer decided these are different registrants; re-runs keep it so" },
    MERGED: { description: "The other members were merged into one survivor" },
  },
});

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

@ObjectType({ description: "A deduplication criterion of the department (one per kind)" })
export class DedupRule {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => DedupRuleKind, { description: "What the rule compares" })
  kind!: DedupRuleKind;
  @Field(() => Boolean, { description: "Deduplication runs use this rule" })
  enabled!: boolean;
  @Field(() => Float, { description: "Smallest name similarity, 0.3–1 (SIMILAR_NAME_BIRTH_DATE only)" })
  nameThreshold!: number;
  @Field(() => Int, {
    description: "Largest birth date difference in days, 0–366 (SIMILAR_NAME_BIRTH_DATE only)",
  })
  birthDateDays!: number;
  @Field(() => Date, { description: "When the rule was created" })
  createdAt!: Date;
  @Field(() => Date, { description: "Last change" })
  updatedAt!: Date;
}

@InputType({ description: "Filters of the rule list" })
export class DedupRuleFilter {
  @Field(() => [ID], { nullable: true, description: "Only these rules" })
  @IsOptional()
  @IsUUID("all", { each: true })
  ids?: string[];
  @Field(() => DedupRuleKind, { nullable: true, description: "Only the rule of this kind" })
  kind?: DedupRuleKind;
  @Field(() => Boolean, { nullable: true, description: "Only enabled (true) or disabled (false) rules" })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

@ArgsType()
export class DedupRuleListArgs extends ListArgs {
  @Field(() => DedupRuleFilter, { nullable: true, description: "Filters" })
  filter?: DedupRuleFilter;
}

@ArgsType()
export class UpdateDedupRuleArgs {
  @Field(() => ID, { description: "The rule" })
  @IsUUID("all", { message: "id must be a UUID" })
  id!: string;
  @Field(() => Boolean, { nullable: true, description: "Use the rule in deduplication runs" })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
  @Field(() => Float, {
    nullable: true,
    description: "Smallest name similarity, 0.3–1 (SIMILAR_NAME_BIRTH_DATE only)",
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.3, { message: "nameThreshold must be between 0.3 and 1" })
  @Max(1, { message: "nameThreshold must be between 0.3 and 1" })
  nameThreshold?: number;
  @Field(() => Int, {
    nullable: true,
    description: "Largest birth date difference in days, 0–366 (SIMILAR_NAME_BIRTH_DATE only)",
  })
  @IsOptional()
  @IsInt()
  @Min(0, { message: "birthDateDays must be between 0 and 366" })
  @Max(366, { message: "birthDateDays must be between 0 and 366" })
  birthDateDays?: number;
}

// ---------------------------------------------------------------------------
// Runs and duplicate sets
// ---------------------------------------------------------------------------

@InputType({ description: "Starts a deduplication run" })
export class RunDeduplicationInput {
  @Field(() => [DedupRuleKind], {
    nullable: true,
    description: "Only these rules (each must also be enabled); default all enabled rules",
  })
  @IsOptional()
  @ArrayMaxSize(4)
  rules?: DedupRuleKind[];
}

@ObjectType({
  description:
    "Registrants a deduplication run found to be possibly the same: a pair for the name rule, everyone sharing the value for the exact rules",
})
export class DuplicateSet {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => DedupRuleKind, { description: "The rule that found the set" })
  rule!: DedupRuleKind;
  @Field(() => Float, { description: "0–1, higher is more likely a duplicate (1 for exact rules)" })
  score!: number;
  @Field(() => DuplicateSetStatus, { description: "Review state" })
  status!: DuplicateSetStatus;
  @Field(() => ID, { nullable: true, description: "The run that found it" })
  jobId!: string | null;
  @Field(() => String, { nullable: true, description: "Who marked it NOT_DUPLICATE or merged it" })
  decidedBy!: string | null;
  @Field(() => Date, { nullable: true, description: "When it was decided" })
  decidedAt!: Date | null;
  @Field(() => Date, { description: "When it was found" })
  createdAt!: Date;
}

@InputType({ description: "Filters of the duplicate set list; all given filters must match" })
export class DuplicateSetFilter {
  @Field(() => [ID], { nullable: true, description: "Only these sets" })
  @IsOptional()
  @IsUUID("all", { each: true })
  @ArrayMaxSize(1000)
  ids?: string[];
  @Field(() => DuplicateSetStatus, { nullable: true, description: "Review state" })
  status?: DuplicateSetStatus;
  @Field(() => DedupRuleKind, { nullable: true, description: "Found by this rule" })
  rule?: DedupRuleKind;
  @Field(() => ID, { nullable: true, description: "Sets this registrant is a member of" })
  @IsOptional()
  @IsUUID()
  registrantId?: string;
  @Field(() => ID, { nullable: true, description: "Found by this run" })
  @IsOptional()
  @IsUUID()
  jobId?: string;
  @Field(() => Float, { nullable: true, description: "Score at least this" })
  @IsOptional()
  @IsNumber()
  score_gte?: number;
}

@ArgsType()
export class DuplicateSetListArgs extends ListArgs {
  @Field(() => DuplicateSetFilter, { nullable: true, description: "Filters" })
  filter?: DuplicateSetFilter;
}

@InputType({ description: "Records that the members of a set are different registrants" })
export class MarkNotDuplicateInput {
  @Field(() => ID, { description: "The OPEN duplicate set" })
  @IsUUID()
  setId!: string;
}

@InputType({ description: "Merges the other members of a set into one of them" })
export class MergeRegistrantsInput {
  @Field(() => ID, { description: "The OPEN duplicate set" })
  @IsUUID()
  setId!: string;
  @Field(() => ID, { description: "The member that stays; the others are merged into it" })
  @IsUUID()
  survivorId!: string;
}

@InputType({ description: "Reverses a merge" })
export class RevertMergeInput {
  @Field(() => ID, { description: "The merge" })
  @IsUUID()
  mergeId!: string;
}

// ---------------------------------------------------------------------------
// Merges
// ---------------------------------------------------------------------------

@ObjectType({ description: "A row a merge left with the merged registrant, and why" })
export class MergeSkippedRow {
  @Field(() => String, { description: "Table: phone, financial_address or group_membership" })
  table!: string;
  @Field(() => ID, { description: "Id of the row" })
  id!: string;
  @Field(() => String, { description: "Why it did not move" })
  reason!: string;
  @Field(() => Boolean, { description: "A current membership the merge ended (the revert re-opens it)" })
  ended!: boolean;
}

@ObjectType({ description: "Ids of the rows a merge moved from the merged registrant to the survivor" })
export class MergeMovedRows {
  @Field(() => [ID], { description: "Identifiers" })
  identifiers!: string[];
  @Field(() => [ID], { description: "Phones" })
  phones!: string[];
  @Field(() => [ID], { description: "Bank accounts and wallets" })
  financialAddresses!: string[];
  @Field(() => [ID], { description: "Group memberships of a merged individual" })
  memberships!: string[];
  @Field(() => [ID], { description: "Memberships of the members of a merged group" })
  members!: string[];
  @Field(() => [ID], { description: "Documents" })
  documents!: string[];
  @Field(() => [ID], {
    description:
      "Data source records (cached records of external registries) linked to the merged registrant",
  })
  dataSourceRecords!: string[];
}

@ObjectType({ description: "A merge of a duplicate into a survivor; it can be reverted" })
export class RegistrantMerge {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => ID, { nullable: true, description: "The duplicate set that was merged" })
  setId!: string | null;
  @Field(() => ID, { description: "The registrant that stayed" })
  survivorId!: string;
  @Field(() => ID, { description: "The registrant merged into the survivor (now INACTIVE)" })
  mergedId!: string;
  @Field(() => RegistrantStatus, { description: "Status of the merged registrant before the merge" })
  priorStatus!: RegistrantStatus;
  @Field(() => MergeMovedRows, { description: "What moved to the survivor" })
  moved!: MergeMovedRows;
  @Field(() => [MergeSkippedRow], { description: "What stayed with the merged registrant, and why" })
  skipped!: MergeSkippedRow[];
  @Field(() => [ID], {
    description: "Moved rows the revert could not move back (changed or deleted on the survivor since)",
  })
  notRestored!: string[];
  @Field(() => String, { description: "Who merged" })
  mergedBy!: string;
  @Field(() => Date, { description: "When" })
  mergedAt!: Date;
  @Field(() => Date, { nullable: true, description: "When the merge was reverted" })
  revertedAt!: Date | null;
}

@InputType({ description: "Filters of the merge list; all given filters must match" })
export class RegistrantMergeFilter {
  @Field(() => [ID], { nullable: true, description: "Only these merges" })
  @IsOptional()
  @IsUUID("all", { each: true })
  @ArrayMaxSize(1000)
  ids?: string[];
  @Field(() => ID, { nullable: true, description: "Merges into this survivor" })
  @IsOptional()
  @IsUUID()
  survivorId?: string;
  @Field(() => ID, { nullable: true, description: "Merges of this registrant into another" })
  @IsOptional()
  @IsUUID()
  mergedId?: string;
  @Field(() => ID, { nullable: true, description: "Merges of this duplicate set" })
  @IsOptional()
  @IsUUID()
  setId?: string;
  @Field(() => Boolean, { nullable: true, description: "Reverted (true) or standing (false) merges" })
  @IsOptional()
  @IsBoolean()
  reverted?: boolean;
}

@ArgsType()
export class RegistrantMergeListArgs extends ListArgs {
  @Field(() => RegistrantMergeFilter, { nullable: true, description: "Filters" })
  filter?: RegistrantMergeFilter;
}
