import { describe, expect, it } from "vitest";
import { dataSourcePayload } from "./dataSourceForm";

describe("data source form payload", () => {
  it("sends an emptied signature setting as null so that the API removes it", () => {
    expect(dataSourcePayload({ name: "a", signatureJwksUrl: "", signatureKeys: undefined })).toEqual({
      name: "a",
      signatureJwksUrl: null,
      signatureKeys: null,
    });
    expect(dataSourcePayload({ signatureJwksUrl: "  ", signatureKeys: null })).toEqual({
      signatureJwksUrl: null,
      signatureKeys: null,
    });
  });

  it("keeps signature settings that are given and leaves absent ones out", () => {
    const keys = { keys: [{ kty: "OKP", crv: "Ed25519", x: "x" }] };
    expect(
      dataSourcePayload({ signatureJwksUrl: "https://r.example.org/jwks.json", signatureKeys: keys }),
    ).toEqual({ signatureJwksUrl: "https://r.example.org/jwks.json", signatureKeys: keys });
    expect(dataSourcePayload({ name: "a" })).toEqual({ name: "a" });
  });

  it("sends the client secret only when one was typed", () => {
    expect(dataSourcePayload({ clientSecret: "" })).toEqual({});
    expect(dataSourcePayload({ clientSecret: "s3cret" })).toEqual({ clientSecret: "s3cret" });
  });
});
