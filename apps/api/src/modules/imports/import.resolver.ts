import { Arg, Authorized, Query, Resolver, registerEnumType } from "type-graphql";
import { Role } from "../../auth/roles.ts";
import { FIELDS, type ImportEntity as Entity } from "./import.sql.ts";

export const ImportEntity = { GROUP: "GROUP", INDIVIDUAL: "INDIVIDUAL", MEMBERSHIP: "MEMBERSHIP" } as const;
registerEnumType(ImportEntity, {
  name: "ImportEntity",
  description: "What an import file holds (the REGISTRY_IMPORT job's `entity`)",
  valuesConfig: {
    GROUP: { description: "Groups (households), one per row" },
    INDIVIDUAL: { description: "Individuals, one per row, optionally with their household" },
    MEMBERSHIP: { description: "Memberships: an individual and a household per row" },
  },
});

@Resolver()
export class ImportResolver {
  @Authorized([Role.Admin, Role.Registrar])
  @Query(() => [String], {
    description:
      "The fields a column of an import file can map to (besides attr.<code> for attributes and, for individuals, id.<ID_TYPE_CODE>)",
  })
  importFields(
    @Arg("entity", () => ImportEntity, { description: "What the file holds" }) entity: Entity,
  ): readonly string[] {
    return FIELDS[entity];
  }
}
