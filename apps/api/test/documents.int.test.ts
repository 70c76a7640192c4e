import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;
let registrantId: string;

const PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
// A 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
const HTML = "<!doctype html><script>fetch('/graphql')</script>";

async function attach(
  token: string,
  id: string,
  body: string | Uint8Array,
  contentType = "application/pdf",
  fileName = "id-card.pdf",
) {
  const res = await fetch(`${h.url}/registrants/${id}/documents?type=ID_CARD`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType, "x-file-name": fileName },
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as { id?: string; error?: { code: string; field?: string; message: string } },
  };
}

function download(id: string | undefined, token = registrar) {
  return fetch(`${h.url}/documents/${id}/content`, { headers: { authorization: `Bearer ${token}` } });
}

/** What is kept of uploads: rows in the database and files in the harness's storage directory. */
async function kept() {
  const [rows] = await h.sql<{ files: number; documents: number }>(
    "SELECT (SELECT count(*)::int FROM stored_file) AS files, (SELECT count(*)::int FROM document) AS documents",
  );
  const entries = await readdir(h.storageDir, { recursive: true, withFileTypes: true });
  return { ...rows!, stored: entries.filter((entry) => entry.isFile()).length };
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
    const before = await kept();
    expect((await attach(registrar, registrantId, "MZ...", "application/x-msdownload")).status).toBe(400);
    const big = await attach(registrar, registrantId, PDF + "x".repeat(2048));
    expect(big.status).toBe(413);
    expect(await kept()).toEqual(before);
  });

  it("refuses content that is not what its declared type says, storing nothing", async () => {
    const before = await kept();
    expect(before.stored).toBeGreaterThan(0);

    const html = await attach(registrar, registrantId, HTML, "application/pdf", "invoice.pdf");
    expect(html).toMatchObject({
      status: 400,
      body: { error: { code: "BAD_USER_INPUT", field: "contentType" } },
    });
    expect(html.body.error?.message).toBe("The file's content is not application/pdf");
    // An executable as a photo, a PNG declared as JPEG, an empty "PDF", and a
    // large HTML upload (refused from its first bytes, the rest discarded).
    const refused = await Promise.all([
      attach(registrar, registrantId, "MZ\x90\x00\x03", "image/jpeg", "photo.jpg"),
      attach(registrar, registrantId, PNG, "image/jpeg; charset=binary", "photo.jpg"),
      attach(registrar, registrantId, "", "application/pdf"),
      attach(registrar, registrantId, HTML + " ".repeat(512 * 1024), "application/pdf"),
    ]);
    expect(refused.map((r) => [r.status, r.body.error?.code, r.body.error?.field])).toEqual(
      Array(4).fill([400, "BAD_USER_INPUT", "contentType"]),
    );
    expect(refused[1]!.body.error?.message).toBe(
      "The file's content is image/png, not the declared image/jpeg",
    );

    expect(await kept()).toEqual(before);
    const audited = await h.sql("SELECT 1 FROM audit_event WHERE action = 'file.uploaded'");
    expect(audited).toHaveLength(before.files);
  });

  it("accepts a real PNG and serves every document as a download of its stored type", async () => {
    const png = await attach(registrar, registrantId, PNG, "image/png", "photo.png");
    expect(png.status).toBe(201);
    const image = await download(png.body.id);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(image.headers)).toMatchObject({
      "content-type": "image/png",
      "content-disposition": "attachment; filename=photo.png",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, no-store",
    });

    // A file name does not change the type a document is served with.
    const named = await attach(registrar, registrantId, PDF, "application/pdf", "page.html");
    expect(named.status).toBe(201);
    const served = await download(named.body.id);
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(served.headers.get("content-disposition")).toBe("attachment; filename=page.html");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await served.text()).toBe(PDF);
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
