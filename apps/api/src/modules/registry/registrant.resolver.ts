import DataLoader from "dataloader";
import {
  Args,
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { ALL_ROLES, Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { IdArgs } from "../../graphql/list.ts";
import { deleteDocument, documentsOf } from "./document.service.ts";
import { assertPiiFilters, canSeePii, mask, maskFa, pii } from "./pii.ts";
import { geoZones } from "./reference.resolver.ts";
import {
  addGroupMember,
  countRegistrants,
  createRegistrant,
  detailsOf,
  endGroupMembership,
  findRegistrant,
  findRegistrants,
  membershipsOf,
  updateRegistrant,
} from "./registrant.service.ts";
import {
  AddGroupMemberInput,
  Document,
  CreateRegistrantArgs,
  EndGroupMembershipInput,
  FinancialAddress,
  GeoZone,
  GroupMembership,
  Phone,
  Registrant,
  RegistrantIdentifier,
  RegistrantListArgs,
  RegistrantListMetadata,
  RegistrantPageArgs,
  UpdateRegistrantArgs,
} from "./registry.type.ts";

/** Who may change the registry. */
export const REGISTRY_WRITERS = [Role.Admin, Role.Registrar];

/** Per-request batch loaders, so a page of registrants costs one query per detail. */
const loaders = new WeakMap<RequestContext, ReturnType<typeof createLoaders>>();
function createLoaders(ctx: RequestContext) {
  return {
    identifiers: new DataLoader((ids: readonly string[]) => detailsOf(ctx, "identifiers", ids)),
    phones: new DataLoader((ids: readonly string[]) => detailsOf(ctx, "phones", ids)),
    financialAddresses: new DataLoader((ids: readonly string[]) => detailsOf(ctx, "financialAddresses", ids)),
    memberships: new DataLoader((ids: readonly string[]) => membershipsOf(ctx, "individualId", ids)),
    members: new DataLoader((ids: readonly string[]) => membershipsOf(ctx, "groupId", ids)),
    documents: new DataLoader((ids: readonly string[]) => documentsOf(ctx, ids)),
    zones: new DataLoader(async (ids: readonly string[]) => {
      const zones = await geoZones.find(ctx, { perPage: 500, filter: { ids: [...ids] } });
      return ids.map((id) => zones.find((z) => z.id === id) ?? null);
    }),
  };
}
const load = (ctx: RequestContext) => {
  let l = loaders.get(ctx);
  if (!l) loaders.set(ctx, (l = createLoaders(ctx)));
  return l;
};

@Resolver(() => Registrant)
export class RegistrantResolver {
  @Authorized([...ALL_ROLES])
  @Query(() => Registrant, { nullable: true, description: "One registrant of your department" })
  registrant(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findRegistrant(ctx, id);
  }

  @Authorized([...ALL_ROLES])
  @Query(() => [Registrant], {
    description:
      "Registrants of your department; a name search (filter.q) ranks the closest names first. `page` reaches the first 10,000 rows (deeper pages fail with BAD_USER_INPUT, reason PAGE_TOO_DEEP); `after` continues from a registrant's `cursor` to the end. Filtering by identifier or phone needs access to personal data (else FORBIDDEN, field filter.identifier or filter.phone)",
  })
  registrants(@Ctx() ctx: RequestContext, @Args(() => RegistrantPageArgs) args: RegistrantPageArgs) {
    assertPiiFilters(ctx, args.filter);
    return findRegistrants(ctx, args);
  }

  @Authorized([...ALL_ROLES])
  @Query(() => RegistrantListMetadata, {
    description:
      "Number of registrants matching the filter: exact up to `exactLimit`, an estimate beyond (`estimated`). Filtering by identifier or phone needs access to personal data (else FORBIDDEN)",
  })
  _registrantsMeta(@Ctx() ctx: RequestContext, @Args(() => RegistrantListArgs) args: RegistrantListArgs) {
    assertPiiFilters(ctx, args.filter);
    return countRegistrants(ctx, args);
  }

  @Authorized(REGISTRY_WRITERS)
  @Mutation(() => Registrant, {
    description:
      "Registers a person or a group, with identifiers, phones, accounts and (for groups) members, in one step",
  })
  createRegistrant(@Ctx() ctx: RequestContext, @Args(() => CreateRegistrantArgs) args: CreateRegistrantArgs) {
    return createRegistrant(ctx, args);
  }

  @Authorized(REGISTRY_WRITERS)
  @Mutation(() => Registrant, { description: "Changes a registrant; lists given replace the current ones" })
  updateRegistrant(@Ctx() ctx: RequestContext, @Args(() => UpdateRegistrantArgs) args: UpdateRegistrantArgs) {
    return updateRegistrant(ctx, args);
  }

  @Authorized(REGISTRY_WRITERS)
  @Mutation(() => GroupMembership, { description: "Adds an individual to a group" })
  addGroupMember(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => AddGroupMemberInput, { description: "Group, individual and kind" })
    input: AddGroupMemberInput,
  ) {
    return addGroupMember(ctx, input);
  }

  @Authorized(REGISTRY_WRITERS)
  @Mutation(() => GroupMembership, { description: "Ends a membership; it stays in the group's history" })
  endGroupMembership(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => EndGroupMembershipInput, { description: "Membership and last day" })
    input: EndGroupMembershipInput,
  ) {
    return endGroupMembership(ctx, input);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "Age in whole years today (individuals with a birth date)",
  })
  age(@Root() r: Registrant): number | null {
    if (!r.birthDate) return null;
    const [y, m, d] = r.birthDate.split("-").map(Number) as [number, number, number];
    const now = new Date();
    const age =
      now.getUTCFullYear() -
      y -
      (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d) ? 1 : 0);
    return age;
  }

  @FieldResolver(() => GeoZone, { nullable: true, description: "GAZ-large zone of the address" })
  gazLarge(@Ctx() ctx: RequestContext, @Root() r: Registrant) {
    return r.gazLargeId ? load(ctx).zones.load(r.gazLargeId) : null;
  }

  @FieldResolver(() => GeoZone, { nullable: true, description: "GAZ-small zone of the address" })
  gazSmall(@Ctx() ctx: RequestContext, @Root() r: Registrant) {
    return r.gazSmallId ? load(ctx).zones.load(r.gazSmallId) : null;
  }

  @FieldResolver(() => [RegistrantIdentifier], {
    description: "Identifiers (values masked without access to personal data)",
  })
  async identifiers(@Ctx() ctx: RequestContext, @Root() r: Registrant) {
    const rows = (await load(ctx).identifiers.load(r.id)) as unknown as RegistrantIdentifier[];
    return rows.map((i) => ({ ...i, value: pii(ctx, i.value) }));
  }

  @FieldResolver(() => [Phone], { description: "Phones (masked without access to personal data)" })
  async phones(@Ctx() ctx: RequestContext, @Root() r: Registrant) {
    const rows = (await load(ctx).phones.load(r.id)) as unknown as Phone[];
    return rows.map((p) => ({ ...p, e164: pii(ctx, p.e164) }));
  }

  @FieldResolver(() => [FinancialAddress], {
    description:
      "Accounts (holder, account number and the account in `fa` masked without access to personal data)",
  })
  async financialAddresses(@Ctx() ctx: RequestContext, @Root() r: Registrant) {
    const rows = (await load(ctx).financialAddresses.load(r.id)) as unknown as FinancialAddress[];
    if (canSeePii(ctx)) return rows;
    return rows.map((a) => ({
      ...a,
      accountHolder: mask(a.accountHolder, 0),
      iban: mask(a.iban),
      msisdn: mask(a.msisdn),
      fa: maskFa(a.fa),
    }));
  }

  @FieldResolver(() => [Document], {
    description:
      "Attached documents, newest first (empty without access to personal data); download at /documents/{id}/content",
  })
  async documents(@Ctx() ctx: RequestContext, @Root() r: Registrant) {
    return canSeePii(ctx) ? load(ctx).documents.load(r.id) : [];
  }

  @Authorized(REGISTRY_WRITERS)
  @Mutation(() => Document, {
    description: "Removes a document from a registrant (the file is kept for the audit trail)",
  })
  deleteDocument(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return deleteDocument(ctx, id);
  }

  @FieldResolver(() => [GroupMembership], { description: "Groups this individual belongs or belonged to" })
  memberships(@Ctx() ctx: RequestContext, @Root() r: Registrant) {
    return r.kind === "INDIVIDUAL" ? load(ctx).memberships.load(r.id) : [];
  }

  @FieldResolver(() => [GroupMembership], {
    description: "Members of this group, current first, with history",
  })
  members(@Ctx() ctx: RequestContext, @Root() r: Registrant) {
    return r.kind === "GROUP" ? load(ctx).members.load(r.id) : [];
  }
}
