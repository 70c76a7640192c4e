import { IsIn, IsOptional, IsUUID, Max, Min } from "class-validator";
import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { badInput } from "../errors.ts";

/** Paging and sorting arguments in react-admin's GraphQL grammar (page is 0-based). */
@ArgsType()
export class ListArgs {
  @Field(() => Int, { nullable: true, description: "Page number, 0-based" })
  @IsOptional()
  @Min(0)
  page?: number;

  @Field(() => Int, { nullable: true, description: "Items per page (1–500, default 25)" })
  @IsOptional()
  @Min(1)
  @Max(500)
  perPage?: number;

  @Field(() => String, { nullable: true, description: "Field to sort by; each list accepts its own set" })
  sortField?: string;

  @Field(() => String, { nullable: true, description: "ASC or DESC" })
  @IsOptional()
  @IsIn(["ASC", "DESC", "asc", "desc"])
  sortOrder?: string;
}

@ObjectType({ description: "Metadata of a list query" })
export class ListMetadata {
  @Field(() => Int, { description: "Number of items matching the filter" })
  count!: number;
}

/** Prisma paging and ordering for a list, with the sort field checked against an allow-list. */
export function paging<F extends string>(
  args: ListArgs,
  sortable: readonly F[],
  fallback: F,
  defaultOrder: "ASC" | "DESC" = "DESC",
): { skip: number; take: number; orderBy: Partial<Record<F | "id", "asc" | "desc">>[] } {
  const field = (args.sortField ?? fallback) as F;
  if (!sortable.includes(field)) {
    throw badInput("sortField", `Cannot sort by ${field}; use one of ${sortable.join(", ")}`);
  }
  const dir = (args.sortOrder ?? defaultOrder).toLowerCase() === "asc" ? "asc" : "desc";
  const take = args.perPage ?? 25;
  return {
    skip: (args.page ?? 0) * take,
    take,
    orderBy: [{ [field]: dir } as Partial<Record<F | "id", "asc" | "desc">>, { id: dir }] as Partial<
      Record<F | "id", "asc" | "desc">
    >[],
  };
}

/** The `id` argument of single-record queries and mutations. */
@ArgsType()
export class IdArgs {
  @Field(() => ID, { description: "Id of the record" })
  @IsUUID("all", { message: "id must be a UUID" })
  id!: string;
}
