// GraphQL CRUD (react-admin grammar) for the registry's reference data.
import type {
  AttributeDefinition as AttributeDefinitionRow,
  GeoZone as GeoZoneRow,
  IdType as IdTypeRow,
  MembershipKind as MembershipKindRow,
} from "@pbms/db";
import { Args, Authorized, Ctx, Mutation, Query, Resolver, type ClassType } from "type-graphql";
import { ALL_ROLES, Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { AppError, badInput, ErrorCode } from "../../errors.ts";
import { IdArgs, ListMetadata } from "../../graphql/list.ts";
import { referenceService, type ReferenceService } from "./reference.service.ts";
import {
  AttributeDefinition,
  AttributeDefinitionArgs,
  GeoZone,
  GeoZoneArgs,
  IdType,
  IdTypeArgs,
  MembershipKind,
  MembershipKindArgs,
  ReferenceListArgs,
} from "./registry.type.ts";

interface ResolverConfig<T extends { id: string }, A extends object> {
  type: ClassType;
  args: ClassType<A>;
  /** singular and plural operation stems, e.g. geoZone / geoZones */
  one: string;
  many: string;
  label: string;
  writeRoles: Role[];
  service: ReferenceService<T, A>;
}

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function referenceResolver<T extends { id: string }, A extends object>(cfg: ResolverConfig<T, A>) {
  const Type = upper(cfg.one);
  @Resolver(() => cfg.type)
  class ReferenceResolver {
    @Authorized([...ALL_ROLES])
    @Query(() => cfg.type, { name: cfg.one, nullable: true, description: `One ${cfg.label}` })
    one(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
      return cfg.service.get(ctx, id);
    }

    @Authorized([...ALL_ROLES])
    @Query(() => [cfg.type], { name: cfg.many, description: `${upper(cfg.label)}s of your department` })
    many(@Ctx() ctx: RequestContext, @Args(() => ReferenceListArgs) args: ReferenceListArgs) {
      return cfg.service.find(ctx, args);
    }

    @Authorized([...ALL_ROLES])
    @Query(() => ListMetadata, {
      name: `_${cfg.many}Meta`,
      description: `Number of ${cfg.label}s matching the filter`,
    })
    async meta(@Ctx() ctx: RequestContext, @Args(() => ReferenceListArgs) args: ReferenceListArgs) {
      return { count: await cfg.service.count(ctx, args) };
    }

    @Authorized(cfg.writeRoles)
    @Mutation(() => cfg.type, { name: `create${Type}`, description: `Creates a ${cfg.label}` })
    create(@Ctx() ctx: RequestContext, @Args(() => cfg.args) args: A) {
      return cfg.service.create(ctx, args);
    }

    @Authorized(cfg.writeRoles)
    @Mutation(() => cfg.type, { name: `update${Type}`, description: `Changes a ${cfg.label}` })
    update(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs, @Args(() => cfg.args) args: A) {
      return cfg.service.update(ctx, id, args);
    }

    @Authorized(cfg.writeRoles)
    @Mutation(() => cfg.type, {
      name: `delete${Type}`,
      description: `Deletes a ${cfg.label} that nothing uses (else CONFLICT)`,
    })
    remove(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
      return cfg.service.remove(ctx, id);
    }
  }
  Object.defineProperty(ReferenceResolver, "name", { value: `${Type}Resolver` });
  return ReferenceResolver;
}

export const geoZones = referenceService<GeoZoneRow, GeoZoneArgs>({
  model: "geoZone",
  entity: "GeoZone",
  sortable: ["code", "name", "level", "createdAt"],
  defaultSort: "code",
  required: ["code", "name", "level"],
  where: (f) => ({ ...(f.level ? { level: f.level } : {}), ...(f.parentId ? { parentId: f.parentId } : {}) }),
  async prepare(t, z) {
    if (z.level === "LARGE" && z.parentId) throw badInput("parentId", "A LARGE zone has no parent");
    if (z.level === "SMALL") {
      if (!z.parentId)
        throw badInput("parentId", "A SMALL zone lies inside a LARGE zone: parentId is required");
      const parent = await t.geoZone.findUnique({ where: { id: z.parentId } });
      if (parent?.level !== "LARGE")
        throw badInput("parentId", "parentId must be a LARGE zone of your department");
    }
  },
});

export const idTypes = referenceService<IdTypeRow, IdTypeArgs>({
  model: "idType",
  entity: "IdType",
  sortable: ["code", "name", "createdAt"],
  defaultSort: "code",
  required: ["code", "name"],
  async prepare(_t, d) {
    if (d.pattern) {
      try {
        new RegExp(d.pattern);
      } catch {
        throw badInput("pattern", "pattern is not a valid regular expression");
      }
    }
  },
});

export const membershipKinds = referenceService<MembershipKindRow, MembershipKindArgs>({
  model: "membershipKind",
  entity: "MembershipKind",
  sortable: ["code", "name", "createdAt"],
  defaultSort: "code",
  required: ["code", "name"],
});

export const attributeDefinitions = referenceService<AttributeDefinitionRow, AttributeDefinitionArgs>({
  model: "attributeDefinition",
  entity: "AttributeDefinition",
  sortable: ["code", "label", "type", "createdAt"],
  defaultSort: "code",
  required: ["code", "label", "type"],
  async prepare(_t, d, existing) {
    if (existing && d.code !== existing.code)
      throw badInput("code", "The code of an attribute cannot change (rules use it)");
    if (existing && d.type !== existing.type)
      throw badInput("type", "The type of an attribute cannot change");
    if (d.type === "ENUM" && !d.enumValues?.length)
      throw badInput("enumValues", "An ENUM attribute needs its values");
    if (d.type !== "ENUM" && d.enumValues?.length)
      throw badInput("enumValues", "Only ENUM attributes have values");
    const numeric = d.type === "NUMBER" || d.type === "INTEGER";
    if (!numeric && (d.min != null || d.max != null))
      throw badInput("min", "Only numeric attributes have a range");
    if (d.min != null && d.max != null && Number(d.min) > Number(d.max))
      throw badInput("max", "max must not be below min");
  },
  // Registrants hold their values by code in JSONB (no foreign key): the deletion
  // (already done, its row locked) is refused while any registrant has a value.
  async stillUsed(t, d) {
    const [row] = await t.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM registrant WHERE attributes ? ${d.code}`;
    const n = row?.n ?? 0;
    if (n > 0)
      throw new AppError(
        ErrorCode.Conflict,
        `${n} registrant${n === 1 ? " has" : "s have"} a value for ${d.code}; remove those values before deleting the attribute`,
        { field: "id", reason: "ATTRIBUTE_IN_USE", registrantCount: n },
      );
  },
});

const REGISTRY_ADMINS = [Role.Admin];

export const GeoZoneResolver = referenceResolver({
  type: GeoZone,
  args: GeoZoneArgs,
  one: "geoZone",
  many: "geoZones",
  label: "geographic zone",
  writeRoles: [Role.Admin, Role.ProgramManager],
  service: geoZones,
});
export const IdTypeResolver = referenceResolver({
  type: IdType,
  args: IdTypeArgs,
  one: "idType",
  many: "idTypes",
  label: "identifier type",
  writeRoles: REGISTRY_ADMINS,
  service: idTypes,
});
export const MembershipKindResolver = referenceResolver({
  type: MembershipKind,
  args: MembershipKindArgs,
  one: "membershipKind",
  many: "membershipKinds",
  label: "membership kind",
  writeRoles: REGISTRY_ADMINS,
  service: membershipKinds,
});
export const AttributeDefinitionResolver = referenceResolver({
  type: AttributeDefinition,
  args: AttributeDefinitionArgs,
  one: "attributeDefinition",
  many: "attributeDefinitions",
  label: "attribute definition",
  writeRoles: REGISTRY_ADMINS,
  service: attributeDefinitions,
});
