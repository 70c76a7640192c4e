import { describe, expect, it } from "vitest";
import { lastPage, registrantTotal, roundEstimate } from "./registrantTotal";

describe("registrantTotal", () => {
  it("shows an exact count as it is, with every page reachable", () => {
    const total = registrantTotal(1234, { estimated: false, exactLimit: 10_000 });
    expect(total).toEqual({ kind: "exact", count: 1234, reachable: 1234 });
    expect(lastPage(total, 25)).toBe(50);
  });

  it("rounds a large estimate to two significant digits and stops the pages at the exact limit", () => {
    const total = registrantTotal(1_250_054, { estimated: true, exactLimit: 10_000 });
    expect(total).toEqual({ kind: "about", count: 1_300_000, reachable: 10_000 });
    expect(lastPage(total, 25)).toBe(400);
    expect(lastPage(total, 100)).toBe(100);
  });

  it("says only 'more than the limit' when the estimate is close to it", () => {
    expect(registrantTotal(10_001, { estimated: true, exactLimit: 10_000 })).toEqual({
      kind: "atLeast",
      count: 10_000,
      reachable: 10_000,
    });
    expect(registrantTotal(10_900, { estimated: true, exactLimit: 10_000 })?.kind).toBe("atLeast");
    expect(registrantTotal(11_000, { estimated: true, exactLimit: 10_000 })?.kind).toBe("about");
  });

  it("treats a list without the flag (or nothing yet) as exact or unknown", () => {
    expect(registrantTotal(7, undefined)).toEqual({ kind: "exact", count: 7, reachable: 7 });
    expect(registrantTotal(undefined, undefined)).toBeUndefined();
    expect(lastPage(registrantTotal(0, undefined), 25)).toBeUndefined();
  });

  it("rounds estimates", () => {
    expect(roundEstimate(54_321)).toBe(54_000);
    expect(roundEstimate(999_999)).toBe(1_000_000);
  });
});
