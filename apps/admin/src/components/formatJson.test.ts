import { describe, expect, it } from "vitest";
import { formatJson } from "./formatJson";

describe("formatJson", () => {
  it("pretty-prints objects and JSON text, and passes other text through", () => {
    expect(formatJson({ a: 1, b: [true] })).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    expect(formatJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatJson("not json")).toBe("not json");
    expect(formatJson(0)).toBe("0");
    expect(formatJson(null)).toBeUndefined();
    expect(formatJson(undefined)).toBeUndefined();
  });
});
