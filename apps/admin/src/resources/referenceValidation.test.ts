import { describe, expect, it } from "vitest";
import {
  attributeDefinitionInput,
  validateAttributeDefinition,
} from "./AttributeDefinition/attributeDefinitionValidation";
import { geoZoneInput, validateGeoZone } from "./GeoZone/geoZoneValidation";
import { validateIdType, validatePattern } from "./IdType/idTypeValidation";
import { validateMembershipKind } from "./MembershipKind/membershipKindValidation";
import { validateCode } from "./referenceValidation";

describe("reference data validation", () => {
  it("accepts codes the API accepts", () => {
    expect(validateCode("NAI-KIB")).toBeUndefined();
    expect(validateCode("NATIONAL_ID")).toBeUndefined();
    expect(validateCode("with space")).toBe("app.reference.validation.code");
    expect(validateCode("")).toBeUndefined();
  });

  it("requires a LARGE parent for a SMALL zone and clears it for a LARGE one", () => {
    expect(validateGeoZone({ code: "NAI", name: "Nairobi", level: "LARGE" })).toEqual({});
    expect(validateGeoZone({ code: "NAI-KIB", name: "Kibera", level: "SMALL" })).toEqual({
      parentId: "app.geoZone.validation.parent",
    });
    expect(validateGeoZone({})).toEqual({
      code: "ra.validation.required",
      name: "ra.validation.required",
      level: "ra.validation.required",
    });
    expect(geoZoneInput({ level: "LARGE", parentId: "z1" }).parentId).toBeNull();
    expect(geoZoneInput({ level: "SMALL", parentId: "z1" }).parentId).toBe("z1");
  });

  it("checks identifier type patterns compile", () => {
    expect(validatePattern("\\d{10}")).toBeUndefined();
    expect(validatePattern("[A-Z")).toBe("app.idType.validation.pattern");
    expect(validateIdType({ code: "PASSPORT", name: "Passport", pattern: "(" })).toEqual({
      pattern: "app.idType.validation.pattern",
    });
    expect(validateMembershipKind({ code: "HEAD" })).toEqual({ name: "ra.validation.required" });
  });

  it("checks attribute definitions like the API", () => {
    expect(validateAttributeDefinition({ code: "monthly_income", label: "Income", type: "NUMBER" })).toEqual(
      {},
    );
    expect(validateAttributeDefinition({ code: "MonthlyIncome", label: "Income", type: "ENUM" })).toEqual({
      code: "app.attributeDefinition.validation.code",
      enumValues: "app.attributeDefinition.validation.enumValues",
    });
    expect(validateAttributeDefinition({ code: "n", label: "N", type: "INTEGER", min: 5, max: 1 })).toEqual({
      max: "app.attributeDefinition.validation.range",
    });
    expect(
      attributeDefinitionInput({ type: "TEXT", appliesTo: "", enumValues: ["a"], min: 1, max: 2 }),
    ).toMatchObject({ appliesTo: null, enumValues: [], min: null, max: null });
    expect(attributeDefinitionInput({ type: "ENUM", enumValues: ["a", "b"] })).toMatchObject({
      enumValues: ["a", "b"],
    });
  });
});
