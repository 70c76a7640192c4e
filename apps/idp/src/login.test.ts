import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIdp, subjectFor, type RunningIdp } from "./index.js";
import { ADMIN_ORIGIN, authRequest, Browser, postForm, signIn } from "./test-browser.js";

describe("local IdP: authorization code flow for pbms-admin", () => {
  let idp: RunningIdp;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  const logged: string[] = [];

  beforeAll(async () => {
    idp = await startIdp({ port: 0, log: (line) => logged.push(line) });
    jwks = createRemoteJWKSet(new URL(idp.jwksUri));
  });
  afterAll(() => idp.close());

  const verifyAccessToken = async (token: string) =>
    (await jwtVerify(token, jwks, { issuer: idp.issuer, audience: "pbms-api" })).payload;

  it("renders an accessible, Keycloak-like login page", async () => {
    const page = await new Browser().navigate(authRequest(idp.issuer).url);
    expect(page.url).toContain("/realms/pbms/login-actions/authenticate/");
    expect(page.response?.status).toBe(200);
    const html = (await page.response?.text()) ?? "";
    expect(html).toContain("<title>PBMS — Sign in</title>");
    expect(html).toMatch(/<label for="username">[^<]+<\/label>\s*<input id="username" name="username"/);
    expect(html).toMatch(
      /<label for="password">[^<]+<\/label>\s*<input id="password" name="password" type="password"/,
    );
    expect(html).toContain('<button id="kc-login" type="submit">Sign in</button>');
    expect(html).toContain("local development identity provider");
  });

  it("signs in registrar/demo and issues Keycloak-like tokens", async () => {
    const result = await signIn(new Browser(), idp.issuer, "registrar", "demo");
    expect(result.callbackUrl).toMatch(/^http:\/\/localhost:5173\/admin\/#\/&code=/);
    expect(result.response.status).toBe(200);
    expect(result.response.headers.get("Access-Control-Allow-Origin")).toBe(ADMIN_ORIGIN);
    expect(result.response.headers.get("Access-Control-Allow-Credentials")).toBe("true");

    const { body } = result;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 300 });
    const access = await verifyAccessToken(body.access_token);
    expect(access).toMatchObject({
      sub: subjectFor("registrar"),
      azp: "pbms-admin",
      typ: "Bearer",
      realm_access: { roles: ["registrar"] },
      tenant: "demo",
      preferred_username: "registrar",
      name: "Demo Registrar",
      email: "registrar@demo.pbms.local",
      scope: "openid profile email",
    });
    expect(access.sid).toEqual(expect.any(String));
    expect(access.jti).toEqual(expect.any(String));

    const id = (await jwtVerify(body.id_token ?? "", jwks, { issuer: idp.issuer, audience: "pbms-admin" }))
      .payload;
    expect(id).toMatchObject({
      sub: subjectFor("registrar"),
      nonce: result.request.nonce,
      preferred_username: "registrar",
      name: "Demo Registrar",
      email: "registrar@demo.pbms.local",
      realm_access: { roles: ["registrar"] },
      tenant: "demo",
    });

    // keycloak-js decodes the refresh token as a JWT.
    expect(decodeJwt(body.refresh_token ?? "")).toMatchObject({ typ: "Refresh", azp: "pbms-admin" });
  });

  it("reuses the session for a second authorization (no login page, no consent)", async () => {
    const browser = new Browser();
    await signIn(browser, idp.issuer, "approver", "demo");
    const again = await browser.navigate(authRequest(idp.issuer).url);
    expect(again.url).toMatch(/^http:\/\/localhost:5173\/admin\/#\/&code=/);
  });

  it("serves userinfo for the access token, with CORS for the admin app", async () => {
    const { body } = await signIn(new Browser(), idp.issuer, "other-admin", "demo");
    const response = await fetch(`${idp.issuer}/protocol/openid-connect/userinfo`, {
      headers: { Authorization: `Bearer ${body.access_token}`, Origin: ADMIN_ORIGIN },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(ADMIN_ORIGIN);
    expect(await response.json()).toMatchObject({
      sub: subjectFor("other-admin"),
      preferred_username: "other-admin",
      realm_access: { roles: ["admin"] },
      tenant: "other",
    });
    const anonymous = await fetch(`${idp.issuer}/protocol/openid-connect/userinfo`);
    expect(anonymous.status).toBe(401);
  });

  it("shows the error on a wrong password and does not log credentials", async () => {
    const browser = new Browser();
    const page = await browser.navigate(authRequest(idp.issuer).url);
    const retry = await browser.submitForm(page.url, (await page.response?.text()) ?? "", {
      username: "registrar",
      password: "not-the-password",
    });
    expect(retry.response?.status).toBe(200);
    const html = (await retry.response?.text()) ?? "";
    expect(html).toContain("Invalid username or password.");
    expect(html).toContain('value="registrar"');
    expect(html).not.toContain("not-the-password");
    expect(logged.join("\n")).not.toMatch(/not-the-password|registrar/);
  });

  it("refreshes tokens with the refresh_token grant (rotating the refresh token)", async () => {
    const { body } = await signIn(new Browser(), idp.issuer, "finance", "demo");
    const refresh = (refreshToken: string) =>
      postForm(
        idp.tokenEndpoint,
        { grant_type: "refresh_token", client_id: "pbms-admin", refresh_token: refreshToken },
        { Origin: ADMIN_ORIGIN },
      );
    const first = await refresh(body.refresh_token ?? "");
    expect(first.response.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(body.refresh_token);
    const access = await verifyAccessToken(first.body.access_token);
    expect(access).toMatchObject({ realm_access: { roles: ["finance"] }, tenant: "demo", azp: "pbms-admin" });
    expect(first.body.id_token).toEqual(expect.any(String));

    const second = await refresh(first.body.refresh_token ?? "");
    expect(second.response.status).toBe(200);
    // Rotation with reuse detection: presenting a used refresh token fails.
    expect((await refresh(body.refresh_token ?? "")).body.error).toBe("invalid_grant");
  });

  it("refuses redirect URIs outside the admin origins", async () => {
    for (const redirectUri of [
      "http://evil.example/callback",
      "http://localhost:5174/",
      "http://localhost:5173.evil.example/",
    ]) {
      const response = await new Browser().request(authRequest(idp.issuer, redirectUri).url);
      expect(response.status, redirectUri).toBe(400);
      expect(response.headers.get("Location")).toBeNull();
      expect(await response.text()).toContain("redirect_uri");
    }
  });

  it("requires PKCE", async () => {
    const url = new URL(authRequest(idp.issuer).url);
    url.searchParams.delete("code_challenge");
    url.searchParams.delete("code_challenge_method");
    const { url: landed } = await new Browser().navigate(url.href);
    expect(landed).toContain("error=invalid_request");
  });

  it("logs out without a confirmation click and ends the session", async () => {
    const browser = new Browser();
    const { body } = await signIn(browser, idp.issuer, "viewer", "demo");
    const params = new URLSearchParams({
      client_id: "pbms-admin",
      post_logout_redirect_uri: `${ADMIN_ORIGIN}/admin/`,
      id_token_hint: body.id_token ?? "",
    });
    const page = await browser.navigate(`${idp.issuer}/protocol/openid-connect/logout?${params}`);
    const html = (await page.response?.text()) ?? "";
    expect(html).toContain("document.forms[0].submit()"); // submits itself in a browser
    const done = await browser.submitForm(page.url, html, {});
    expect(done.url).toBe(`${ADMIN_ORIGIN}/admin/`);

    const refreshed = await postForm(idp.tokenEndpoint, {
      grant_type: "refresh_token",
      client_id: "pbms-admin",
      refresh_token: body.refresh_token ?? "",
    });
    expect(refreshed.body.error).toBe("invalid_grant");
    const again = await browser.navigate(authRequest(idp.issuer).url);
    expect(again.url).toContain("/login-actions/authenticate/");
  });

  it("answers keycloak-js's third-party cookie probe", async () => {
    const response = await fetch(`${idp.issuer}/protocol/openid-connect/3p-cookies/step1.html`);
    expect(await response.text()).toContain('postMessage("unsupported"');
  });
});
