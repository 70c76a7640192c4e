// Loads the vendored OpenAPI documents (converted to JSON by generate.mjs),
// applies the documented tolerances for upstream defects, and compiles the
// message schemas with Ajv once per process.
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import specs from "./generated/registry-specs.json" with { type: "json" };

/** The two registry dialects: G2P Connect 1.0.0 (2023-11) and DCI (spdci/standards). */
export type Dialect = "g2pconnect" | "dci";
export const DIALECTS: readonly Dialect[] = ["g2pconnect", "dci"];

/** Where each dialect's document came from (relative to this package). */
export const SPEC_SOURCES: Record<Dialect, string> = specs.sources;

type Json = Record<string, unknown>;

/**
 * Deliberate deviations from the vendored schemas, applied in memory (the files
 * stay byte-identical to upstream). Each fixes a defect that would reject
 * messages the spec's own prose, samples or the DCI sibling describe as valid.
 */
export const SPEC_TOLERANCES: readonly {
  dialects: readonly Dialect[];
  schema: string;
  why: string;
  apply(schemas: Json): void;
}[] = [
  {
    dialects: ["g2pconnect"],
    schema: "PredicateWithCondition.condition",
    why: "upstream refs Predicate (an object) instead of ExpCondition (and|or|not); DCI has it right",
    apply: (s) => {
      props(s, "PredicateWithCondition").condition = { $ref: "#/components/schemas/ExpCondition" };
    },
  },
  {
    dialects: ["g2pconnect", "dci"],
    schema: "AttributeValue",
    why: "oneOf [integer, number] rejects every integer (it matches both); the `in` operator needs a list",
    apply: (s) => {
      s.AttributeValue = {
        description: "Attribute value (tolerance: anyOf instead of oneOf, and lists for `in`)",
        anyOf: [
          { type: "string" },
          { type: "number" },
          { type: "boolean" },
          { type: "object" },
          { type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }] } },
        ],
      };
    },
  },
  {
    dialects: ["g2pconnect", "dci"],
    schema: "RegistryRecord",
    why: 'declared `type: object` but described as `@container: "@set"`; DCI samples and implementations send an array of records',
    apply: (s) => {
      s.RegistryRecord = {
        description: "Registry records (tolerance: an object, or an array of objects)",
        anyOf: [{ type: "object" }, { type: "array", items: { type: "object" } }],
      };
    },
  },
  {
    dialects: ["g2pconnect", "dci"],
    schema: "LanguageCode",
    why: 'pattern ^[a-z]{3}$ (ISO 639-3) contradicts its own example "en"; samples send "EN/GB"',
    apply: (s) => {
      s.LanguageCode = {
        type: "string",
        description: "Language code (tolerance: ISO 639-1/-3, optionally with a region)",
        pattern: "^[A-Za-z]{2,3}([-_/][A-Za-z0-9]{1,8})*$",
      };
    },
  },
  {
    dialects: ["g2pconnect", "dci"],
    schema: "MsgHeader_V1.0.0.total_count",
    why: "an integer in the spec, a digit string in the DCI samples",
    apply: (s) => {
      props(s, "MsgHeader_V1.0.0").total_count = {
        anyOf: [
          { type: "integer", minimum: 0 },
          { type: "string", pattern: "^[0-9]{1,9}$" },
        ],
      };
    },
  },
  {
    dialects: ["dci"],
    schema: "RegistryQueries",
    why: "oneOf overlaps: an ExpTemplate {type, value:{…}} also matches IdentifierTypeValue (value may be an object)",
    apply: (s) => {
      const q = s.RegistryQueries as Json;
      if (!Array.isArray(q.oneOf)) throw new Error("RegistryQueries.oneOf not found");
      q.anyOf = q.oneOf;
      delete q.oneOf;
    },
  },
];

function props(schemas: Json, name: string): Json {
  const schema = schemas[name] as { properties?: Json } | undefined;
  if (!schema?.properties) throw new Error(`schema ${name} has no properties to patch`);
  return schema.properties;
}

/** JSON pointers (inside a dialect's document) of the message schemas we validate. */
export const MESSAGE_SCHEMAS = {
  /** Body of POST /registry/sync/search. */
  syncSearchRequest: "/paths/~1registry~1sync~1search/post/requestBody/content/application~1json/schema",
  /** Response of POST /registry/sync/search (an on-search envelope). */
  syncSearchResponse:
    "/paths/~1registry~1sync~1search/post/responses/default/content/application~1json/schema",
  /** Body of POST /registry/search (asynchronous). */
  searchRequest: "/paths/~1registry~1search/post/requestBody/content/application~1json/schema",
  /** Body of the POST /registry/on-search callback. */
  onSearchCallback: "/paths/~1registry~1on-search/post/requestBody/content/application~1json/schema",
  /** Acknowledgement of an asynchronous request. */
  ack: "/components/responses/Response/content/application~1json/schema",
  /** 401/403/500 bodies. */
  httpError: "/components/responses/HttpErrorResponse/content/application~1json/schema",
  /** One query, per query type (used to explain oneOf failures). */
  "query:namedQuery": "/components/schemas/NamedQuery",
  "query:idtype": "/components/schemas/IdTypeQuery",
  "query:predicate": "/components/schemas/PredicateQuery",
  "query:idtype-value": "/components/schemas/IdentifierTypeValue",
  "query:expression": "/components/schemas/ExpTemplate",
  "query:expression-list": "/components/schemas/ExpPredicateWithConditionList",
} as const;
export type MessageSchema = keyof typeof MESSAGE_SCHEMAS;

const schemaId = (dialect: Dialect) => `urn:pbms:g2p-connect:${dialect}`;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (ajv) return ajv;
  // OpenAPI 3.0 schemas carry keywords JSON Schema does not know (example,
  // xml, …): strict mode would refuse them. Formats are checked.
  const created = new Ajv({ allErrors: true, strict: false, validateFormats: true, logger: false });
  addFormats(created);
  for (const dialect of DIALECTS) {
    const doc = structuredClone(specs.documents[dialect]) as { components: Json; paths: Json };
    const schemas = doc.components.schemas as Json;
    for (const t of SPEC_TOLERANCES) if (t.dialects.includes(dialect)) t.apply(schemas);
    created.addSchema({ $id: schemaId(dialect), components: doc.components, paths: doc.paths });
  }
  ajv = created;
  return created;
}

/** The compiled validator of one message schema of one dialect (compiled on first use). */
export function schemaValidator(dialect: Dialect, schema: MessageSchema): ValidateFunction | undefined {
  const key = `${dialect}:${schema}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  // Some schemas exist in one dialect only (e.g. NamedQuery in G2P Connect).
  const fn = instance().getSchema(`${schemaId(dialect)}#${MESSAGE_SCHEMAS[schema]}`);
  if (fn) compiled.set(key, fn);
  return fn;
}

/** The parsed (unpatched) OpenAPI document of a dialect, for reading enums and descriptions. */
export function specDocument(dialect: Dialect): Json {
  return specs.documents[dialect] as Json;
}
