import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.ts";

const VIEWER = "query { viewer { username roles department { code } } }";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("authentication", () => {
  it("rejects a request without a token with HTTP 401 and UNAUTHENTICATED", async () => {
    const res = await h.gql(VIEWER);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("rejects a malformed token", async () => {
    const res = await h.gql(VIEWER, {}, "not-a-jwt");
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("accepts a client-credentials token from the identity provider", async () => {
    const token = await h.clientToken("demo-integrator", "demo-integrator-secret");
    const res = await h.gql<{ viewer: { username: string; roles: string[]; department: { code: string } } }>(
      VIEWER,
      {},
      token,
    );
    expect(res.status).toBe(200);
    expect(res.data?.viewer).toEqual({
      username: "service-account-demo-integrator",
      roles: ["program-manager"],
      department: { code: "demo" },
    });
  });

  it("accepts a user's token from the authorization-code flow", async () => {
    const token = await h.userToken("registrar");
    const res = await h.gql<{ viewer: { username: string; roles: string[] } }>(VIEWER, {}, token);
    expect(res.data?.viewer.username).toBe("registrar");
    expect(res.data?.viewer.roles).toEqual(["registrar"]);
  });

  it("rejects a token whose signature was made with another key", async () => {
    const genuine = await h.clientToken("demo-integrator", "demo-integrator-secret");
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(decodeJwt(genuine))
      .setProtectedHeader({ alg: "RS256", kid: decodeProtectedHeader(genuine).kid! })
      .sign(privateKey);
    const res = await h.gql(VIEWER, {}, forged);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.message).toMatch(/signature/);
  });

  it("rejects an unsigned (alg none) token", async () => {
    const genuine = await h.clientToken("demo-integrator", "demo-integrator-secret");
    const [, payload] = genuine.split(".");
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const res = await h.gql(VIEWER, {}, `${header}.${payload}.`);
    expect(res.status).toBe(401);
  });

  it("rejects a symmetric (HS256) token signed with the public key material", async () => {
    const genuine = await h.clientToken("demo-integrator", "demo-integrator-secret");
    const jwks = (await (await fetch(h.idp.jwksUri)).json()) as { keys: Record<string, string>[] };
    const secret = new TextEncoder().encode(jwks.keys[0]!.n);
    const forged = await new SignJWT(decodeJwt(genuine)).setProtectedHeader({ alg: "HS256" }).sign(secret);
    const res = await h.gql(VIEWER, {}, forged);
    expect(res.status).toBe(401);
  });
});

describe("token claims the API refuses", () => {
  it("rejects a token for another audience", async () => {
    const other = await startHarness({ env: { OIDC_AUDIENCE: "some-other-api" } });
    try {
      const token = await other.clientToken("demo-integrator", "demo-integrator-secret");
      const res = await other.gql(VIEWER, {}, token);
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.message).toMatch(/aud/);
    } finally {
      await other.close();
    }
  });

  it("rejects an expired token", async () => {
    const short = await startHarness({ idp: { accessTokenTtlSeconds: 1 } });
    try {
      const token = await short.clientToken("demo-integrator", "demo-integrator-secret");
      expect((await short.gql(VIEWER, {}, token)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 7000)); // 1 s lifetime + the API's 5 s clock tolerance
      const res = await short.gql(VIEWER, {}, token);
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.message).toMatch(/expired/);
    } finally {
      await short.close();
    }
  }, 30_000);
});

describe("authorisation", () => {
  it("refuses an operation the caller's roles do not allow with FORBIDDEN", async () => {
    const token = await h.userToken("viewer");
    const res = await h.gql("query { auditEvents { id } }", {}, token);
    expect(res.status).toBe(200);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(res.data).toBeNull();
  });

  it("lets an auditor read the audit log", async () => {
    const token = await h.userToken("auditor");
    const res = await h.gql("query { auditEvents { id } }", {}, token);
    expect(res.errors).toBeUndefined();
  });
});
