import { introspection } from "@pbms/graphql-types";
import { type DocumentNode, type FieldNode, Kind, type OperationDefinitionNode, parse, print } from "graphql";
import { type IntrospectionResult, introspectSchema } from "ra-data-graphql";
import { CREATE, DELETE, GET_LIST, GET_MANY, GET_MANY_REFERENCE, GET_ONE, UPDATE } from "react-admin";
import { describe, expect, it } from "vitest";
import { buildQuery, introspectionOptions } from "./index";
import { RESOURCES, listMetaQueryName, lowerFirst, operationNames, pluralise } from "./operationNames";
import { normaliseDateRangeFilter, pickDeclaredVariables, pickMutationArgs } from "./variables";

const name = (fetchType: string, typeName: string) => {
  const fn = operationNames[fetchType];
  if (!fn) throw new Error(`no operation name for ${fetchType}`);
  return fn({ name: typeName });
};

const noClient = {
  query: () => {
    throw new Error("runtime introspection must not happen");
  },
} as unknown as Parameters<typeof introspectSchema>[0];

// ra-data-graphql's own types disagree on `queries` (fields vs object types); the value is right.
const resolveIntrospection = async () =>
  (await introspectSchema(noClient, introspectionOptions)) as unknown as IntrospectionResult;

/** Root fields selected by a built query, e.g. ["auditEvents", "_auditEventsMeta"]. */
function rootFields(document: DocumentNode): string[] {
  const operation = document.definitions[0] as OperationDefinitionNode;
  return operation.selectionSet.selections.map((selection) => (selection as FieldNode).name.value);
}

describe("operation names", () => {
  it("maps AuditEvent to the API's lower camel case operations", () => {
    expect(name(GET_LIST, "AuditEvent")).toBe("auditEvents");
    expect(listMetaQueryName(name(GET_LIST, "AuditEvent"))).toBe("_auditEventsMeta");
    expect(name(GET_ONE, "AuditEvent")).toBe("auditEvent");
    expect(name(GET_MANY, "AuditEvent")).toBe("auditEvents");
    expect(name(GET_MANY_REFERENCE, "AuditEvent")).toBe("auditEvents");
    expect(name(CREATE, "AuditEvent")).toBe("createAuditEvent");
    expect(name(UPDATE, "AuditEvent")).toBe("updateAuditEvent");
    expect(name(DELETE, "AuditEvent")).toBe("deleteAuditEvent");
  });

  it("pluralises and lower-cases like the API", () => {
    expect(name(GET_LIST, "UserProfile")).toBe("userProfiles");
    expect(name(GET_LIST, "Job")).toBe("jobs");
    expect(pluralise("Policy")).toBe("Policies");
    expect(pluralise("Day")).toBe("Days");
    expect(pluralise("Address")).toBe("Addresses");
    expect(lowerFirst("Department")).toBe("department");
  });
});

describe("resources from the build-time introspection", () => {
  it("finds every resource's operations in the schema without a network request", async () => {
    const result = await resolveIntrospection();
    expect(result.resources.map((resource) => resource.type.name).sort()).toEqual([...RESOURCES].sort());
    const byName = (typeName: string) =>
      result.resources.find((r) => r.type.name === typeName) as Record<string, { name: string } | undefined>;

    const auditEvent = byName("AuditEvent");
    expect(auditEvent[GET_LIST]?.name).toBe("auditEvents");
    expect(auditEvent[GET_ONE]?.name).toBe("auditEvent");
    expect(auditEvent[GET_MANY]?.name).toBe("auditEvents");
    expect(auditEvent[UPDATE]).toBeUndefined(); // read-only in the API
    expect(byName("Job")[GET_LIST]?.name).toBe("jobs");
    expect(byName("UserProfile")[GET_ONE]?.name).toBe("userProfile");
    expect(byName("Department")[GET_ONE]?.name).toBe("department");
    expect(byName("Department")[UPDATE]?.name).toBe("updateDepartment");
    expect(byName("Registrant")[GET_LIST]?.name).toBe("registrants");
    expect(byName("Registrant")[CREATE]?.name).toBe("createRegistrant");
    expect(byName("Registrant")[DELETE]).toBeUndefined(); // registries keep their records
    expect(byName("GeoZone")[DELETE]?.name).toBe("deleteGeoZone");
    expect(byName("IdType")[GET_ONE]?.name).toBe("idType");
    expect(byName("MembershipKind")[UPDATE]?.name).toBe("updateMembershipKind");
    expect(byName("AttributeDefinition")[GET_LIST]?.name).toBe("attributeDefinitions");
  });

  it("has the list meta query ra-data-graphql-simple asks for, for every listable resource", async () => {
    const result = await resolveIntrospection();
    const queryNames = new Set(result.queries.map((query) => query.name));
    for (const resource of result.resources as Record<string, { name: string } | undefined>[]) {
      const list = resource[GET_LIST];
      if (list) expect(queryNames, list.name).toContain(listMetaQueryName(list.name));
    }
    expect(introspection.__schema.queryType.name).toBe("Query");
  });
});

describe("built queries", () => {
  it("lists audit events with a 0-based page, sort, filter and the _auditEventsMeta count", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { query, variables } = build(GET_LIST, "AuditEvent", {
      pagination: { page: 1, perPage: 25 },
      sort: { field: "occurredAt", order: "DESC" },
      filter: { action: "user.signed_in", q: "" },
    });
    expect(rootFields(query)).toEqual(["auditEvents", "_auditEventsMeta"]);
    expect(variables).toEqual({
      page: 0,
      perPage: 25,
      sortField: "occurredAt",
      sortOrder: "DESC",
      filter: { action: "user.signed_in" },
    });
  });

  it("gets one record by id", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { query, variables } = build(GET_ONE, "Job", { id: "42" });
    expect(rootFields(query)).toEqual(["job"]);
    expect(variables).toEqual({ id: "42" });
  });

  it("sends only the variables updateDepartment declares", async () => {
    const build = buildQuery(await resolveIntrospection());
    const record = {
      id: "d1",
      code: "HQ",
      name: "Head office",
      locale: "fr",
      currency: "XOF",
      timezone: "Africa/Dakar",
      createdAt: "2024-01-01T00:00:00.000Z",
      updatedAt: "2024-01-01T00:00:00.000Z",
      __typename: "Department",
    };
    const { query, variables } = build(UPDATE, "Department", {
      id: "d1",
      data: record,
      previousData: record,
    });
    expect(rootFields(query)).toEqual(["updateDepartment"]);
    expect(variables).toEqual({
      id: "d1",
      name: "Head office",
      locale: "fr",
      currency: "XOF",
      timezone: "Africa/Dakar",
    });
    // The document is valid GraphQL that declares exactly these variables.
    const operation = parse(print(query)).definitions[0] as OperationDefinitionNode;
    expect(operation.kind).toBe(Kind.OPERATION_DEFINITION);
    expect(operation.variableDefinitions?.map((v) => v.variable.name.value).sort()).toEqual([
      "currency",
      "id",
      "locale",
      "name",
      "timezone",
    ]);
  });

  it("turns a date-only range filter into instants", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { variables } = build(GET_LIST, "AuditEvent", {
      pagination: { page: 2, perPage: 10 },
      sort: { field: "occurredAt", order: "ASC" },
      filter: { occurredAt_gte: "2024-03-05", occurredAt_lte: "2024-03-05" },
    });
    const filter = variables?.filter as Record<string, string>;
    expect(variables?.page).toBe(1);
    expect(filter.occurredAt_gte).toBe(new Date(2024, 2, 5, 0, 0, 0, 0).toISOString());
    expect(filter.occurredAt_lte).toBe(new Date(2024, 2, 5, 23, 59, 59, 999).toISOString());
  });
});

describe("registry queries", () => {
  /** A registrant as the data provider reads it back (sanitised by ra-data-graphql-simple). */
  const registrant = {
    id: "r1",
    kind: "INDIVIDUAL",
    name: "Amina Wanjiru",
    givenName: "Amina",
    familyName: "Wanjiru",
    birthDate: "1990-04-12",
    birthDateNotExact: false,
    status: "ACTIVE",
    registrationDate: "2026-01-15",
    age: 36,
    gazLargeId: "z-new",
    gazLarge: { id: "z-old" },
    "gazLarge.id": "z-old",
    gazSmall: null,
    tags: ["pilot"],
    attributes: { monthly_income: 1200, version: "v2" },
    version: 4,
    identifiers: [
      { id: "i1", idTypeId: "t1", value: "1234567897", status: "VALID", issuedOn: null, __typename: "X" },
    ],
    identifiersIds: ["i1"],
    phones: [{ id: "p1", number: "+254712345678", e164: "+254712345678", country: "KE", isPrimary: true }],
    financialAddresses: [
      { id: "f1", kind: "MOBILE_WALLET", msisdn: "+254712345678", walletProvider: "mpesa", fa: "mobile:…" },
    ],
    members: [],
    memberships: [{ id: "m1", groupId: "g1", individualId: "r1", kindId: "k1", startDate: "2026-01-15" }],
    createdAt: "2026-01-15T10:00:00.000Z",
    updatedAt: "2026-01-15T10:00:00.000Z",
  };

  it("updates a registrant with the mutation's arguments only, nested inputs pruned to their types", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { query, variables } = build(UPDATE, "Registrant", {
      id: "r1",
      data: registrant,
      previousData: registrant,
    });
    expect(rootFields(query)).toEqual(["updateRegistrant"]);
    expect(variables).toEqual({
      id: "r1",
      name: "Amina Wanjiru",
      givenName: "Amina",
      familyName: "Wanjiru",
      birthDate: "1990-04-12",
      birthDateNotExact: false,
      status: "ACTIVE",
      registrationDate: "2026-01-15",
      gazLargeId: "z-new",
      gazSmallId: undefined,
      tags: ["pilot"],
      attributes: { monthly_income: 1200, version: "v2" },
      version: 4,
      identifiers: [{ id: "i1", idTypeId: "t1", value: "1234567897", status: "VALID", issuedOn: null }],
      phones: [{ id: "p1", number: "+254712345678", country: "KE", isPrimary: true }],
      financialAddresses: [
        { id: "f1", kind: "MOBILE_WALLET", msisdn: "+254712345678", walletProvider: "mpesa" },
      ],
    });
    expect(variables).not.toHaveProperty("gazSmallId");
    const operation = parse(print(query)).definitions[0] as OperationDefinitionNode;
    const declared = operation.variableDefinitions?.map((v) => v.variable.name.value) ?? [];
    expect(declared).not.toContain("kind");
    expect(declared).not.toContain("members");
  });

  it("creates a group with its members in one mutation", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { query, variables } = build(CREATE, "Registrant", {
      data: {
        kind: "GROUP",
        name: "Wanjiru household",
        members: [{ individualId: "r1", kindId: "k1", startDate: null, name: "Amina" }],
      },
    });
    expect(rootFields(query)).toEqual(["createRegistrant"]);
    expect(variables).toEqual({
      kind: "GROUP",
      name: "Wanjiru household",
      members: [{ individualId: "r1", kindId: "k1", startDate: null }],
    });
  });

  it("creates a group with an existing and a new member, the new person pruned to NewIndividualInput", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { query, variables } = build(CREATE, "Registrant", {
      data: {
        kind: "GROUP",
        name: "Chege household",
        members: [
          { entry: "existing", individualId: "r1", kindId: "k1", startDate: null },
          {
            entry: "new",
            kindId: "k2",
            startDate: "2024-03-01",
            individual: {
              givenName: "Njeri",
              familyName: "Chege",
              birthDate: "1984-07-01",
              sex: "FEMALE",
              age: 41,
              attributes: { disability: true, status: "x" },
              identifiers: [{ idTypeId: "t1", value: "7700000018", __typename: "RegistrantIdentifier" }],
              phones: [{ number: "+254722000333", e164: "+254722000333", isPrimary: true }],
            },
          },
        ],
      },
    });
    const operation = parse(print(query)).definitions[0] as OperationDefinitionNode;
    const members = operation.variableDefinitions?.find((v) => v.variable.name.value === "members");
    expect(members && print(members.type)).toBe("[MemberInput!]");
    expect(variables).toEqual({
      kind: "GROUP",
      name: "Chege household",
      members: [
        { individualId: "r1", kindId: "k1", startDate: null },
        {
          kindId: "k2",
          startDate: "2024-03-01",
          individual: {
            givenName: "Njeri",
            familyName: "Chege",
            birthDate: "1984-07-01",
            sex: "FEMALE",
            attributes: { disability: true, status: "x" },
            identifiers: [{ idTypeId: "t1", value: "7700000018" }],
            phones: [{ number: "+254722000333", isPrimary: true }],
          },
        },
      ],
    });
  });

  it("filters the registry by an age range and trimmed text, dates left as days", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { query, variables } = build(GET_LIST, "Registrant", {
      pagination: { page: 1, perPage: 25 },
      sort: { field: "name", order: "ASC" },
      filter: {
        q: " Amina Wanjru ",
        kind: "INDIVIDUAL",
        age_gte: 60,
        age_lte: "18",
        phone: "",
        registrationDate_gte: "2026-01-01",
      },
    });
    expect(rootFields(query)).toEqual(["registrants", "_registrantsMeta"]);
    expect(variables?.filter).toEqual({
      q: "Amina Wanjru",
      kind: "INDIVIDUAL",
      age_gte: 18,
      age_lte: 60,
      registrationDate_gte: "2026-01-01",
    });
  });

  it("filters the registry by one attribute's typed value and by group membership", async () => {
    const build = buildQuery(await resolveIntrospection());
    const list = (filter: Record<string, unknown>) =>
      build(GET_LIST, "Registrant", {
        pagination: { page: 1, perPage: 25 },
        sort: { field: "name", order: "ASC" },
        filter,
      }).variables?.filter;
    expect(list({ attribute: { code: "roof_material", value: " thatch " }, groupId: "g1" })).toEqual({
      attributes: { roof_material: "thatch" },
      groupId: "g1",
    });
    expect(list({ attribute: { code: "monthly_income", value: 2100 }, memberId: "r1" })).toEqual({
      attributes: { monthly_income: 2100 },
      memberId: "r1",
    });
    // Attribute codes that are also names of filter fields keep their value and its type.
    expect(list({ attribute: { code: "status", value: false } })).toEqual({ attributes: { status: false } });
    expect(list({ attribute: { code: "age_gte", value: "2026-01-15" } })).toEqual({
      attributes: { age_gte: "2026-01-15" },
    });
    expect(list({ attribute: { code: "roof_material", value: "" }, kind: "GROUP" })).toEqual({
      kind: "GROUP",
    });
  });

  it("asks the registry's list whether its total is estimated and hands that to the list as meta", async () => {
    const build = buildQuery(await resolveIntrospection());
    const built = build(GET_LIST, "Registrant", {
      pagination: { page: 1, perPage: 25 },
      sort: { field: "name", order: "ASC" },
      filter: {},
    });
    expect(print(built.query)).toMatch(
      /total: _registrantsMeta[^{]*\{\s*count\s+estimated\s+exactLimit\s*\}/,
    );
    const response = {
      data: {
        items: [{ id: "r1", name: "Amina" }],
        total: { count: 1_300_000, estimated: true, exactLimit: 10_000 },
      },
    };
    expect(built.parseResponse(response as never)).toEqual({
      data: [{ id: "r1", name: "Amina" }],
      total: 1_300_000,
      meta: { estimated: true, exactLimit: 10_000 },
    });
  });

  it("leaves the totals of lists without estimates as they are", async () => {
    const build = buildQuery(await resolveIntrospection());
    const built = build(GET_LIST, "AuditEvent", {
      pagination: { page: 1, perPage: 25 },
      sort: { field: "occurredAt", order: "DESC" },
      filter: {},
    });
    expect(print(built.query)).toMatch(/total: _auditEventsMeta[^{]*\{\s*count\s*\}/);
    const parsed = built.parseResponse({ data: { items: [], total: { count: 0 } } } as never);
    expect(parsed).toEqual({ data: [], total: 0 });
  });

  it("leaves react-admin's default sort by id to the API's default order", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { variables } = build(GET_LIST, "Registrant", {
      pagination: { page: 1, perPage: 25 },
      sort: { field: "id", order: "DESC" },
      filter: { q: "Amina", kind: "INDIVIDUAL" },
    });
    expect(variables).not.toHaveProperty("sortField");
    expect(variables).not.toHaveProperty("sortOrder");
    expect(variables?.filter).toEqual({ q: "Amina", kind: "INDIVIDUAL" });
  });

  it("lists zones of one level", async () => {
    const build = buildQuery(await resolveIntrospection());
    const { variables } = build(GET_LIST, "GeoZone", {
      pagination: { page: 1, perPage: 25 },
      sort: { field: "name", order: "ASC" },
      filter: { level: "LARGE", q: "nai" },
    });
    expect(variables?.filter).toEqual({ level: "LARGE", q: "nai" });
  });
});

describe("pickMutationArgs", () => {
  it("keeps the mutation's arguments and drops embedded objects and read-only fields", () => {
    expect(
      pickMutationArgs({ id: "1", gazLarge: null, gazLargeId: "z", age: 3, createdAt: "x" }, [
        "id",
        "gazLargeId",
      ]),
    ).toEqual({ id: "1", gazLargeId: "z" });
    expect(pickMutationArgs(undefined, ["id"])).toEqual({});
  });
});

describe("normaliseDateRangeFilter", () => {
  it("covers the whole local day and leaves other values alone", () => {
    const result = normaliseDateRangeFilter({
      occurredAt_gte: "2024-12-31",
      occurredAt_lte: "2025-01-01",
      action: "2024-12-31",
      createdAt_gte: "2024-01-01T10:00:00.000Z",
    });
    const gte = new Date(result?.occurredAt_gte as string);
    const lte = new Date(result?.occurredAt_lte as string);
    expect([gte.getFullYear(), gte.getMonth(), gte.getDate(), gte.getHours(), gte.getMinutes()]).toEqual([
      2024, 11, 31, 0, 0,
    ]);
    expect([
      lte.getFullYear(),
      lte.getMonth(),
      lte.getDate(),
      lte.getHours(),
      lte.getMinutes(),
      lte.getSeconds(),
    ]).toEqual([2025, 0, 1, 23, 59, 59]);
    expect(result?.action).toBe("2024-12-31");
    expect(result?.createdAt_gte).toBe("2024-01-01T10:00:00.000Z");
  });

  it("drops emptied criteria", () => {
    expect(normaliseDateRangeFilter({ q: "", action: undefined, entityType: "Job" })).toEqual({
      entityType: "Job",
    });
    expect(normaliseDateRangeFilter(undefined)).toBeUndefined();
  });
});

describe("pickDeclaredVariables", () => {
  it("keeps only variables the operation declares", () => {
    const document = parse(
      "mutation M($id: ID!, $name: String) { updateDepartment(id: $id, name: $name) { id } }",
    );
    expect(pickDeclaredVariables(document, { id: "1", name: "x", code: "HQ", meta: undefined })).toEqual({
      id: "1",
      name: "x",
    });
    expect(pickDeclaredVariables(document, undefined)).toEqual({});
  });
});
