import {
  IsISO4217CurrencyCode,
  IsIn,
  IsOptional,
  IsUUID,
  Length,
  MaxLength,
  Validate,
} from "class-validator";
import { ArgsType, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { ListArgs } from "../../graphql/list.ts";
import { IsTimeZone } from "../../graphql/validators.ts";

/** UI languages the admin app ships. */
export const SUPPORTED_LOCALES = ["en", "fr"] as const;

@ObjectType({ description: "A department (tenant): its data is isolated from other departments" })
export class Department {
  @Field(() => ID, { description: "Unique id" })
  id!: string;

  @Field(() => String, { description: "Code carried in tokens as the `tenant` claim" })
  code!: string;

  @Field(() => String, { description: "Display name" })
  name!: string;

  @Field(() => String, { description: "Default UI language (en, fr)" })
  locale!: string;

  @Field(() => String, { description: "Default ISO 4217 currency of cash benefits" })
  currency!: string;

  @Field(() => String, { description: "IANA time zone for schedules and reports" })
  timezone!: string;

  @Field(() => Date, { description: "When the department was created" })
  createdAt!: Date;

  @Field(() => Date, { description: "Last change of its settings" })
  updatedAt!: Date;
}

@ObjectType({ description: "The signed-in caller, as proven by their token" })
export class Viewer {
  @Field(() => ID, { description: "Token subject (`sub`)" })
  id!: string;

  @Field(() => String, { description: "User name (`preferred_username`)" })
  username!: string;

  @Field(() => String, { nullable: true, description: "Display name" })
  name!: string | null;

  @Field(() => [String], { description: "Realm roles from the token" })
  roles!: string[];

  @Field(() => Department, { description: "The caller's department" })
  department!: Department;
}

@ObjectType({ description: "A person who signed in to this department, as last seen in their token" })
export class UserProfile {
  @Field(() => ID, { description: "Unique id" })
  id!: string;

  @Field(() => String, { description: "Token subject (`sub`) at the identity provider" })
  subject!: string;

  @Field(() => String, { description: "User name" })
  username!: string;

  @Field(() => String, { nullable: true, description: "Display name" })
  name!: string | null;

  @Field(() => String, { nullable: true, description: "E-mail address" })
  email!: string | null;

  @Field(() => [String], { description: "Realm roles in their last token" })
  roles!: string[];

  @Field(() => Date, { description: "First request seen" })
  firstSeenAt!: Date;

  @Field(() => Date, { nullable: true, description: "Last recorded sign-in" })
  lastSignInAt!: Date | null;
}

@InputType({ description: "Filters of the user directory" })
export class UserProfileFilter {
  @Field(() => String, { nullable: true, description: "Text in the user name, name or e-mail" })
  @IsOptional()
  @MaxLength(200)
  q?: string;

  @Field(() => [ID], { nullable: true, description: "Only these users" })
  @IsOptional()
  @IsUUID("all", { each: true })
  ids?: string[];

  @Field(() => String, { nullable: true, description: "Users whose last token had this role" })
  role?: string;
}

@ArgsType()
export class UserProfileListArgs extends ListArgs {
  @Field(() => UserProfileFilter, { nullable: true, description: "Filters" })
  filter?: UserProfileFilter;
}

@ArgsType()
export class UpdateDepartmentArgs {
  @Field(() => ID, { description: "The department (your own)" })
  @IsUUID()
  id!: string;

  @Field(() => String, { nullable: true, description: "Display name" })
  @IsOptional()
  @Length(2, 200)
  name?: string;

  @Field(() => String, { nullable: true, description: "Default UI language" })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES)
  locale?: string;

  @Field(() => String, { nullable: true, description: "ISO 4217 currency code" })
  @IsOptional()
  @IsISO4217CurrencyCode()
  currency?: string;

  @Field(() => String, { nullable: true, description: "IANA time zone" })
  @IsOptional()
  @Validate(IsTimeZone)
  timezone?: string;
}

@ObjectType({ description: "Counts for the dashboard, computed by the server" })
export class DashboardStats {
  @Field(() => Int, { description: "Audit events recorded since midnight UTC" })
  auditEventsToday!: number;

  @Field(() => Int, { description: "Jobs queued or running" })
  jobsRunning!: number;

  @Field(() => Int, { description: "Jobs that failed in the last 7 days" })
  jobsFailed!: number;

  @Field(() => Int, { description: "Users seen in this department" })
  users!: number;

  @Field(() => Date, { nullable: true, description: "Most recent sign-in in this department" })
  lastSignInAt!: Date | null;
}
