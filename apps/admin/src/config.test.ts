import { describe, expect, it } from "vitest";
import { type FetchLike, defaultConfig, loadConfig, mergeConfig } from "./config";

describe("mergeConfig", () => {
  it("returns the defaults for missing or non-object input", () => {
    for (const raw of [undefined, null, 42, "x", []]) {
      expect(mergeConfig(raw)).toEqual({
        apiUrl: "http://localhost:4000/graphql",
        oidcUrl: "http://localhost:8080",
        realm: "pbms",
        clientId: "pbms-admin",
      });
    }
  });

  it("takes known, non-empty string keys and keeps defaults for the rest", () => {
    const merged = mergeConfig({
      apiUrl: " https://pbms.example.org/graphql ",
      realm: "",
      clientId: 7,
      unknown: "ignored",
    });
    expect(merged).toEqual({ ...defaultConfig, apiUrl: "https://pbms.example.org/graphql" });
    expect(merged).not.toHaveProperty("unknown");
  });

  it("drops trailing slashes from the identity provider URL", () => {
    expect(mergeConfig({ oidcUrl: "https://id.example.org/auth//" }).oidcUrl).toBe(
      "https://id.example.org/auth",
    );
  });

  it("does not modify the defaults", () => {
    mergeConfig({ realm: "other" });
    expect(defaultConfig.realm).toBe("pbms");
  });
});

describe("loadConfig", () => {
  const respond =
    (body: unknown, ok = true): FetchLike =>
    async () => ({ ok, json: async () => body });

  it("fetches config.json next to index.html and merges it", async () => {
    const seen: string[] = [];
    const fetchImpl: FetchLike = async (url) => {
      seen.push(url);
      return { ok: true, json: async () => ({ realm: "district-7" }) };
    };
    await expect(loadConfig(undefined, fetchImpl)).resolves.toEqual({
      ...defaultConfig,
      realm: "district-7",
    });
    expect(seen).toEqual(["/config.json"]);
  });

  it("falls back to the defaults when config.json is missing, broken or unreachable", async () => {
    await expect(loadConfig("/config.json", respond({ realm: "x" }, false))).resolves.toEqual(defaultConfig);
    const broken: FetchLike = async () => ({
      ok: true,
      json: async () => {
        throw new SyntaxError("Unexpected token <");
      },
    });
    await expect(loadConfig("/config.json", broken)).resolves.toEqual(defaultConfig);
    const offline: FetchLike = async () => {
      throw new TypeError("Failed to fetch");
    };
    await expect(loadConfig("/config.json", offline)).resolves.toEqual(defaultConfig);
  });
});
