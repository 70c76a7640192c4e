import { describe, expect, it } from "vitest";
import { auditExportParams } from "./auditExportParams";

describe("auditExportParams", () => {
  it("keeps the filters the export job accepts, with day ranges as instants", () => {
    const params = auditExportParams({
      q: "amina",
      actorId: "sub-1",
      action: " user.signed_in ",
      entityType: "",
      occurredAt_gte: "2024-05-01",
      occurredAt_lte: "2024-05-31",
    });
    expect(Object.keys(params).sort()).toEqual(["action", "occurredAt_gte", "occurredAt_lte"]);
    expect(params.action).toBe("user.signed_in");
    expect(params.occurredAt_gte).toBe(new Date(2024, 4, 1, 0, 0, 0, 0).toISOString());
    expect(params.occurredAt_lte).toBe(new Date(2024, 4, 31, 23, 59, 59, 999).toISOString());
  });

  it("exports everything without filters", () => {
    expect(auditExportParams(undefined)).toEqual({});
    expect(auditExportParams({})).toEqual({});
  });
});
