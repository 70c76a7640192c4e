import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;
let registrantId: string;

const PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

async function attach(token: string, id: string, body: string, contentType = "application/pdf") {
  const res = await fetch(`${h.url}/registrants/${id}/documents?type=ID_CARD`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType, "x-file-name": "id-card.pdf" },
    body,
  });
  return { status: res.status, body: (await res.json()) as { id?: string; error?: { code: string } } };
}

beforeAll(async () => {
  h = await startHarness({ env: { DOCUMENT_MAX_BYTES: "1024" } });
  registrar = await h.userToken("registrar");
  registrantId = (
    await h.sql<{ id: string }>(
      "SELECT id FROM registrant WHERE kind = 'INDIVIDUAL' ORDER BY external_id LIMIT 1",
    )
  )[0]!.id;
});
afterAll(() => h?.close());

describe("documents", () => {
  it("attaches a document, lists it on the registrant and serves its content", async () => {
    const attached = await attach(registrar, registrantId, PDF);
    expect(attached.status).toBe(201);
    const docs = await h.gql<{
      registrant: { documents: { id: string; type: string; fileName: string; byteSize: number }[] };
    }>(
      "query ($id: ID!) { registrant(id: $id) { documents { id type fileName byteSize } } }",
      { id: registrantId },
      registrar,
    );
    expect(docs.data?.registrant.documents).toEqual([
      { id: attached.body.id, type: "ID_CARD", fileName: "id-card.pdf", byteSize: PDF.length },
    ]);
    const content = await fetch(`${h.url}/documents/${attached.body.id}/content`, {
      headers: { authorization: `Bearer ${registrar}` },
    });
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toBe("application/pdf");
    expect(await content.text()).toBe(PDF);
    const [event] = await h.sql<{ action: string }>(
      "SELECT action FROM audit_event WHERE action = 'document.attached' AND entity_id = $1",
      [registrantId],
    );
    expect(event?.action).toBe("document.attached");
  });

  it("answers 404 when a document's file is missing from storage", async () => {
    const attached = await attach(registrar, registrantId, PDF);
    await h.sql(
      "UPDATE stored_file SET storage_key = storage_key || '-gone' WHERE id = (SELECT file_id FROM document WHERE id = $1)",
      [attached.body.id],
    );
    const content = await fetch(`${h.url}/documents/${attached.body.id}/content`, {
      headers: { authorization: `Bearer ${registrar}` },
    });
    expect(content.status).toBe(404);
    expect(((await content.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("refuses other file types and files over the size limit, keeping nothing", async () => {
    const before = await h.sql("SELECT count(*)::int AS n FROM stored_file");
    expect((await attach(registrar, registrantId, "MZ...", "application/x-msdownload")).status).toBe(400);
    const big = await attach(registrar, registrantId, "x".repeat(2048));
    expect(big.status).toBe(413);
    expect(await h.sql("SELECT count(*)::int AS n FROM stored_file")).toEqual(before);
  });

  it("hides documents from viewers and other departments", async () => {
    const { body } = await attach(registrar, registrantId, PDF);
    const viewer = await h.userToken("viewer");
    const list = await h.gql<{ registrant: { documents: unknown[] } }>(
      "query ($id: ID!) { registrant(id: $id) { documents { id } } }",
      { id: registrantId },
      viewer,
    );
    expect(list.data?.registrant.documents).toEqual([]);
    expect(
      (
        await fetch(`${h.url}/documents/${body.id}/content`, {
          headers: { authorization: `Bearer ${viewer}` },
        })
      ).status,
    ).toBe(403);
    const other = await h.userToken("other-admin");
    expect(
      (
        await fetch(`${h.url}/documents/${body.id}/content`, {
          headers: { authorization: `Bearer ${other}` },
        })
      ).status,
    ).toBe(404);
    expect((await attach(other, registrantId, PDF)).status).toBe(404);
  });

  it("removes a document and audits it", async () => {
    const { body } = await attach(registrar, registrantId, PDF);
    const removed = await h.gql(
      "mutation ($id: ID!) { deleteDocument(id: $id) { id } }",
      { id: body.id },
      registrar,
    );
    expect(removed.errors).toBeUndefined();
    expect(
      (
        await fetch(`${h.url}/documents/${body.id}/content`, {
          headers: { authorization: `Bearer ${registrar}` },
        })
      ).status,
    ).toBe(404);
    const events = await h.sql("SELECT 1 FROM audit_event WHERE action = 'document.removed'");
    expect(events).toHaveLength(1);
  });
});
