import { describe, expect, it } from "vitest";
import {
  ackResponse,
  describeErrors,
  detectDialect,
  httpErrorResponse,
  searchReasonCodes,
  validateAck,
  validateHttpError,
  validateOnSearchCallback,
  validateRegistrySearchRequest,
  validateRegistrySearchResponse,
} from "../src/index.ts";
import { searchRequest, searchResponse } from "./fixtures.ts";

describe("search requests", () => {
  it("accepts a G2P Connect idtype query", () => {
    const r = validateRegistrySearchRequest(
      searchRequest({ query_type: "idtype", query: { type: "UIN", value: "12345" } }),
    );
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ valid: true, dialect: "g2pconnect" });
  });

  it("accepts a G2P Connect predicate query with conditions, integer values and lists", () => {
    const r = validateRegistrySearchRequest(
      searchRequest({
        query_type: "predicate",
        query: [
          {
            seq_num: 1,
            expression1: { attribute_name: "YOB", operator: "ge", attribute_value: 1950 },
            condition: "and",
            expression2: { attribute_name: "sex", operator: "in", attribute_value: ["female", "other"] },
          },
        ],
        pagination: { page_size: 10, page_number: 2 },
        sort: [{ attribute_name: "birthdate", sort_order: "asc" }],
      }),
    );
    expect(r.errors).toEqual([]);
  });

  it("accepts the DCI dialect (idtype-value, reg_event_type, no reg_type, digit-string total_count)", () => {
    const msg = searchRequest({ query_type: "idtype-value", query: { type: "UIN", value: "847951632" } });
    const criteria = msg.message.search_request[0]!.search_criteria;
    delete criteria.reg_type;
    criteria.reg_event_type = "REGISTER";
    msg.header.total_count = "1";
    msg.message.search_request[0]!.locale = "en";
    expect(detectDialect(msg)).toBe("dci");
    const r = validateRegistrySearchRequest(msg);
    expect(r.errors).toEqual([]);
    expect(r.dialect).toBe("dci");
    // …which G2P Connect alone rejects: reg_type is required there.
    expect(validateRegistrySearchRequest(msg, { dialect: "g2pconnect" }).valid).toBe(false);
  });

  it("accepts a DCI NoSql expression", () => {
    const msg = searchRequest({
      query_type: "expression",
      query: {
        type: "ns:org:QueryType:NoSql",
        value: { expression: { collection: "Group", query: { $and: [{ poverty_score: { $lt: 5 } }] } } },
      },
    });
    expect(validateRegistrySearchRequest(msg).errors).toEqual([]);
  });

  it("explains a bad query in terms of its query_type, not every oneOf branch", () => {
    const r = validateRegistrySearchRequest(
      searchRequest({ query_type: "idtype", query: { type: "UIN" } as never }),
    );
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      { pointer: "/message/search_request/0/search_criteria/query/value", message: "is required" },
    ]);
  });

  it("points at the offending field and maps it to the spec's reason codes", () => {
    const msg = searchRequest({
      query_type: "idtype",
      query: { type: "UIN", value: "1" },
      pagination: { page_size: "ten" as unknown as number },
    });
    msg.header.action = "subscribe";
    const r = validateRegistrySearchRequest(msg);
    expect(r.errors).toEqual([
      { pointer: "/header/action", message: 'must be one of: "search"' },
      {
        pointer: "/message/search_request/0/search_criteria/pagination/page_size",
        message: "must be a number",
      },
    ]);
    const codes = searchReasonCodes(r.errors);
    expect(codes.header).toBe("rjct.action.invalid");
    expect(codes.items.get(0)?.code).toBe("rjct.pagination.invalid");
    expect(describeErrors(r.errors)).toContain("/header/action: must be one of");
  });

  it("rejects timestamps without a time zone and unknown query types", () => {
    const msg = searchRequest({ query_type: "sql" as "idtype", query: { type: "UIN", value: "1" } });
    msg.message.search_request[0]!.timestamp = "2024-05-01 10:00";
    const r = validateRegistrySearchRequest(msg);
    const codes = searchReasonCodes(r.errors);
    expect(r.errors.map((e) => e.pointer)).toEqual([
      "/message/search_request/0/timestamp",
      "/message/search_request/0/search_criteria/query_type",
    ]);
    expect(codes.items.get(0)?.code).toBe("rjct.timestamp.invalid");
  });

  it("does not report the EncryptedMessage branch for plain messages", () => {
    const r = validateRegistrySearchRequest({ header: searchRequest({} as never).header, message: {} });
    expect(r.errors).toEqual([
      { pointer: "/message/transaction_id", message: "is required" },
      { pointer: "/message/search_request", message: "is required" },
    ]);
  });
});

describe("responses, callbacks, acknowledgements and errors", () => {
  it("accepts an on-search envelope with an array of records in both dialects", () => {
    const msg = searchResponse([{ "@type": "Person", sex: "female" }]);
    for (const dialect of ["g2pconnect", "dci"] as const) {
      expect(validateRegistrySearchResponse(msg, dialect).errors).toEqual([]);
      expect(validateOnSearchCallback(msg, dialect).errors).toEqual([]);
    }
  });

  it("rejects a response without a status or with a bad pagination", () => {
    const msg = searchResponse([]);
    delete (msg.header as { status?: string }).status;
    delete (msg.message.search_response[0]!.pagination as { total_count?: number }).total_count;
    const r = validateRegistrySearchResponse(msg);
    expect(r.errors.map((e) => e.pointer)).toEqual([
      "/header/status",
      "/message/search_response/0/pagination/total_count",
    ]);
  });

  it("validates acknowledgements and HTTP errors", () => {
    expect(validateAck(ackResponse("c-1")).errors).toEqual([]);
    expect(validateAck(ackResponse("c-1", { error: "err.sender_uri.invalid", message: "x" })).errors).toEqual(
      [],
    );
    expect(validateAck({ message: { ack_status: "OK" } }).valid).toBe(false);
    expect(validateHttpError(httpErrorResponse("err.request.unauthorized", "no token")).errors).toEqual([]);
  });
});
