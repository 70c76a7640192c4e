// Documents attached to registrants: the content lives in storage, the
// metadata (and who attached it) in the database, every change audited.
import type { Readable } from "node:stream";
import { tx, type RequestContext } from "../../context.ts";
import { badInput, notFound } from "../../errors.ts";
import type { Storage } from "../../storage/storage.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { UPLOAD_TYPES, uploadFile } from "../imports/file.service.ts";
import { contentTypeOf, peek, SIGNATURE_BYTES } from "./document.signature.ts";

export const DOCUMENT_TYPES = ["ID_CARD", "BIRTH_CERTIFICATE", "PHOTO", "PROOF_OF_ADDRESS", "OTHER"] as const;

export async function attachDocument(
  ctx: RequestContext,
  storage: Storage,
  input: {
    registrantId: string;
    type: string;
    description?: string;
    fileName: string;
    contentType: string;
    body: Readable;
    maxBytes: number;
  },
) {
  const registrant = await tx(ctx, (t) =>
    t.registrant.findUnique({ where: { id: input.registrantId }, select: { id: true } }),
  );
  if (!registrant) throw notFound("Registrant", input.registrantId);
  const type = (DOCUMENT_TYPES as readonly string[]).includes(input.type) ? input.type : "OTHER";
  const body = await checkContent(input.contentType, input.body);
  const file = await uploadFile(ctx, storage, { ...input, body, purpose: "DOCUMENT" });
  return tx(ctx, async (t) => {
    const doc = await t.document.create({
      data: {
        tenantId: ctx.tenantId,
        registrantId: registrant.id,
        fileId: file.id,
        type,
        description: input.description?.slice(0, 500) || null,
        createdById: ctx.principal.subject,
      },
    });
    await recordAudit(t, ctx, {
      action: "document.attached",
      entityType: "Registrant",
      entityId: registrant.id,
      after: {
        documentId: doc.id,
        type,
        fileName: file.fileName,
        byteSize: file.byteSize,
        sha256: file.sha256,
      },
    });
    return { ...doc, file };
  });
}

/**
 * Checks that a document's first bytes are those of the content type its
 * uploader declares, before anything is stored, and returns the stream to
 * store (its whole content). Declared types that documents may not have are
 * left to `uploadFile`, which refuses them without reading the body.
 */
async function checkContent(contentType: string, body: Readable): Promise<Readable> {
  const declared = contentType.split(";")[0]!.trim().toLowerCase();
  if (!UPLOAD_TYPES.DOCUMENT!.includes(declared)) return body;
  const { head, rest } = await peek(body, SIGNATURE_BYTES);
  const actual = contentTypeOf(head);
  if (actual === declared) return rest;
  // Discard the rest of the upload, as for a request refused before its body is read.
  rest.resume();
  throw badInput(
    "contentType",
    actual
      ? `The file's content is ${actual}, not the declared ${declared}`
      : `The file's content is not ${declared}`,
  );
}

/** The document's metadata and a stream of its content (department-scoped). */
export async function openDocument(ctx: RequestContext, storage: Storage, id: string) {
  const doc = await tx(ctx, (t) => t.document.findUnique({ where: { id }, include: { file: true } }));
  if (!doc) throw notFound("Document", id);
  return { doc, stream: storage.get(doc.file.storageKey) };
}

export function documentsOf(ctx: RequestContext, registrantIds: readonly string[]) {
  return tx(ctx, async (t) => {
    const docs = await t.document.findMany({
      where: { registrantId: { in: [...registrantIds] } },
      include: { file: { select: { fileName: true, contentType: true, byteSize: true } } },
      orderBy: { createdAt: "desc" },
    });
    return registrantIds.map((id) =>
      docs
        .filter((d) => d.registrantId === id)
        .map((d) => ({
          ...d,
          fileName: d.file.fileName,
          contentType: d.file.contentType,
          byteSize: Number(d.file.byteSize),
        })),
    );
  });
}

/** Detaches a document (its file stays in storage for the audit trail). */
export function deleteDocument(ctx: RequestContext, id: string) {
  return tx(ctx, async (t) => {
    const doc = await t.document.findUnique({ where: { id }, include: { file: true } });
    if (!doc) throw notFound("Document", id);
    await t.document.delete({ where: { id } });
    await recordAudit(t, ctx, {
      action: "document.removed",
      entityType: "Registrant",
      entityId: doc.registrantId,
      before: { documentId: doc.id, type: doc.type, fileName: doc.file.fileName },
    });
    return {
      ...doc,
      fileName: doc.file.fileName,
      contentType: doc.file.contentType,
      byteSize: Number(doc.file.byteSize),
    };
  });
}
