import { createRemoteJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS, startIdp, subjectFor, type RunningIdp } from "./index.js";
import { postForm } from "./test-browser.js";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

describe("local IdP: discovery and client credentials", () => {
  let idp: RunningIdp;
  const logged: string[] = [];

  beforeAll(async () => {
    idp = await startIdp({ port: 0, log: (line) => logged.push(line) });
  });
  afterAll(() => idp.close());

  const clientCredentials = (clientId: string, secret: string) =>
    postForm(
      idp.tokenEndpoint,
      { grant_type: "client_credentials" },
      { Authorization: basic(clientId, secret) },
    );

  it("publishes Keycloak's realm URL layout", async () => {
    expect(idp.issuer).toBe(`http://localhost:${idp.port}/realms/pbms`);
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    const base = `${idp.issuer}/protocol/openid-connect`;
    expect(discovery).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${base}/auth`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/certs`,
      userinfo_endpoint: `${base}/userinfo`,
      end_session_endpoint: `${base}/logout`,
      code_challenge_methods_supported: ["S256"],
    });
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]),
    );
    expect(idp.jwksUri).toBe(`${base}/certs`);
    const jwks = (await (await fetch(idp.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });

  it("issues a verifiable RS256 access token to demo-integrator", async () => {
    const { response, body } = await clientCredentials("demo-integrator", "demo-integrator-secret");
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 300 });
    expect(body.refresh_token).toBeUndefined();

    const jwks = createRemoteJWKSet(new URL(idp.jwksUri));
    const { payload, protectedHeader } = await jwtVerify(body.access_token, jwks, {
      issuer: idp.issuer,
      audience: "pbms-api",
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      sub: "service-account-demo-integrator",
      preferred_username: "service-account-demo-integrator",
      azp: "demo-integrator",
      typ: "Bearer",
      realm_access: { roles: ["program-manager"] },
      tenant: "demo",
      scope: "profile email",
    });
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it("gives other-integrator the tenant other (client_secret_post)", async () => {
    const { response, body } = await postForm(idp.tokenEndpoint, {
      grant_type: "client_credentials",
      client_id: "other-integrator",
      client_secret: "other-integrator-secret",
    });
    expect(response.status).toBe(200);
    const { payload } = await jwtVerify(body.access_token, createRemoteJWKSet(new URL(idp.jwksUri)), {
      issuer: idp.issuer,
      audience: "pbms-api",
    });
    expect(payload).toMatchObject({ tenant: "other", realm_access: { roles: ["program-manager"] } });
  });

  it("rejects a wrong client secret with 401 invalid_client", async () => {
    const { response, body } = await clientCredentials("demo-integrator", "wrong");
    expect(response.status).toBe(401);
    expect(body.error).toBe("invalid_client");
  });

  it("allows each client only its own grant types", async () => {
    const admin = await postForm(idp.tokenEndpoint, {
      grant_type: "client_credentials",
      client_id: "pbms-admin",
    });
    expect(admin.response.status).toBe(400);
    expect(admin.body.error).toBe("invalid_request"); // "requested grant type is not allowed for this client"
    const integrator = await postForm(
      idp.tokenEndpoint,
      { grant_type: "refresh_token", refresh_token: "x" },
      { Authorization: basic("demo-integrator", "demo-integrator-secret") },
    );
    expect(integrator.response.status).toBe(400);
  });

  it("keeps subjects stable across restarts (UUIDv5 of the username)", () => {
    const registrar = DEMO_USERS.find((u) => u.username === "registrar");
    expect(registrar?.sub).toBe(subjectFor("registrar"));
    expect(registrar?.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(DEMO_USERS.map((u) => u.sub)).size).toBe(DEMO_USERS.length);
  });

  it("logs nothing for normal operation", () => {
    expect(logged).toEqual([]);
  });
});

describe("local IdP: options", () => {
  it("honours accessTokenTtlSeconds and a provided signing key", async () => {
    const privateJwk = {
      ...(await exportJWK((await generateKeyPair("RS256", { extractable: true })).privateKey)),
      kid: "test-key",
    };
    const idp = await startIdp({
      port: 0,
      accessTokenTtlSeconds: 120,
      publicOrigin: "http://127.0.0.1:1",
      privateJwk,
    });
    try {
      // publicOrigin only changes the issuer; endpoints are still reachable on the real port.
      expect(idp.issuer).toBe("http://127.0.0.1:1/realms/pbms");
      const tokenEndpoint = `http://localhost:${idp.port}/realms/pbms/protocol/openid-connect/token`;
      const { body } = await postForm(
        tokenEndpoint,
        { grant_type: "client_credentials" },
        {
          Authorization: basic("demo-integrator", "demo-integrator-secret"),
        },
      );
      expect(body.expires_in).toBe(120);
      const jwks = createRemoteJWKSet(
        new URL(`http://localhost:${idp.port}/realms/pbms/protocol/openid-connect/certs`),
      );
      const { payload } = await jwtVerify(body.access_token, jwks, {
        issuer: idp.issuer,
        audience: "pbms-api",
      });
      expect(payload.exp! - payload.iat!).toBe(120);
      expect(decodeProtectedHeader(body.access_token).kid).toBe("test-key");
    } finally {
      await idp.close();
    }
  });

  it("answers 404 outside the realm path", async () => {
    const idp = await startIdp({ port: 0 });
    try {
      expect((await fetch(`http://localhost:${idp.port}/`)).status).toBe(404);
      expect(
        (await fetch(`http://localhost:${idp.port}/realms/other/.well-known/openid-configuration`)).status,
      ).toBe(404);
    } finally {
      await idp.close();
    }
  });
});
