import { describe, expect, it } from "vitest";
import { booleanFilterChoices, formatBooleanChoice, parseBooleanChoice } from "./attributeFilter";

describe("yes/no attribute filter", () => {
  it("filters by the boolean the select's choice stands for", () => {
    expect(booleanFilterChoices.map((choice) => parseBooleanChoice(choice.id))).toEqual([true, false]);
    expect(parseBooleanChoice(false)).toBe(false);
    expect(parseBooleanChoice("")).toBe("");
    expect(parseBooleanChoice(null)).toBe("");
    expect(parseBooleanChoice("yes")).toBe("");
  });

  it("shows a boolean from the URL as the matching choice, and nothing otherwise", () => {
    expect(formatBooleanChoice(true)).toBe("true");
    expect(formatBooleanChoice(false)).toBe("false");
    expect(formatBooleanChoice("")).toBe("");
    expect(formatBooleanChoice(undefined)).toBe("");
    expect(formatBooleanChoice("thatch")).toBe("");
  });
});
