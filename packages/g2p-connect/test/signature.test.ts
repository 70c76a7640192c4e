import { createLocalJWKSet, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { parseSignatureHeader, SignatureError, signBody, verifyBodySignature } from "../src/index.ts";

async function signer() {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "EdDSA" }] });
  return { signer: { key: privateKey, kid: "k1", senderId: "registry.example.org" }, jwks };
}

describe("Signature header", () => {
  it("has the spec's parameters and verifies against the body", async () => {
    const { signer: s, jwks } = await signer();
    const body = JSON.stringify({ header: { action: "on-search" } });
    const signed = await signBody(body, s, { ttlSeconds: 600 });
    const p = parseSignatureHeader(signed.signature);
    expect(p).toMatchObject({
      keyId: "registry.example.org|k1|ed25519",
      algorithm: "ed25519",
      headers: "(created) (expires) digest",
    });
    expect(Number(p.expires) - Number(p.created)).toBe(600);
    expect(p.signature).toMatch(/^[\w-]+\.\.[\w-]+$/);
    expect(signed.digest).toMatch(/^SHA-256=[A-Za-z0-9+/]+=*$/);
    await expect(verifyBodySignature(body, signed.signature, jwks)).resolves.toMatchObject({
      senderId: "registry.example.org",
      kid: "k1",
    });
  });

  it("fails for an altered body, an expired signature or another key", async () => {
    const { signer: s, jwks } = await signer();
    const other = await signer();
    const body = '{"a":1}';
    const signed = await signBody(body, s, { now: new Date("2024-01-01T00:00:00Z"), ttlSeconds: 60 });
    const now = new Date("2024-01-01T00:00:30Z");
    await expect(verifyBodySignature(body, signed.signature, jwks, { now })).resolves.toBeTruthy();
    await expect(verifyBodySignature('{"a":2}', signed.signature, jwks, { now })).rejects.toThrow(
      SignatureError,
    );
    await expect(
      verifyBodySignature(body, signed.signature, jwks, { now: new Date("2024-01-01T01:00:00Z") }),
    ).rejects.toThrow("expired");
    await expect(verifyBodySignature(body, signed.signature, other.jwks, { now })).rejects.toThrow(
      SignatureError,
    );
  });

  it("reads the spec's example syntax (Signature: prefix, kidId, spaces)", () => {
    const p = parseSignatureHeader(
      'Signature: namespace="g2p", kidId="s|k|ed25519", algorithm="ed25519", created="1606970629", expires="1607030629", headers="(created) (expires) digest", signature="abc"',
    );
    expect(p).toMatchObject({
      namespace: "g2p",
      keyId: "s|k|ed25519",
      created: "1606970629",
      signature: "abc",
    });
  });
});
