import type { Readable } from "node:stream";
import { tx, type RequestContext } from "../../context.ts";
import { AppError, badInput, ErrorCode } from "../../errors.ts";
import { TooLargeError, type Storage } from "../../storage/storage.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { XLSX_CONTENT_TYPE } from "./xlsx.ts";

/** Content types accepted for uploads, by purpose. */
export const UPLOAD_TYPES: Record<string, readonly string[]> = {
  IMPORT: ["text/csv", "application/csv", "text/plain", XLSX_CONTENT_TYPE],
  DOCUMENT: ["application/pdf", "image/jpeg", "image/png", "image/webp"],
};

export interface UploadInput {
  purpose: string;
  fileName: string;
  contentType: string;
  body: Readable;
  maxBytes: number;
}

/** Streams an upload into storage and records it; the file is removed again if recording fails. */
export async function uploadFile(ctx: RequestContext, storage: Storage, input: UploadInput) {
  const allowed = UPLOAD_TYPES[input.purpose];
  if (!allowed)
    throw badInput(
      "purpose",
      `Unknown purpose ${input.purpose}; use one of ${Object.keys(UPLOAD_TYPES).join(", ")}`,
    );
  const type = input.contentType.split(";")[0]!.trim().toLowerCase();
  if (!allowed.includes(type))
    throw badInput("contentType", `${type} files cannot be uploaded for ${input.purpose}`);
  if (!/^[^/\\\0]{1,200}$/.test(input.fileName))
    throw badInput("fileName", "Give a file name without slashes");
  let stored;
  try {
    stored = await storage.put(ctx.tenantId, input.body, input.maxBytes);
  } catch (error) {
    if (error instanceof TooLargeError)
      throw new AppError(ErrorCode.BadUserInput, error.message, { field: "body", http: { status: 413 } });
    throw error;
  }
  try {
    return await tx(ctx, async (t) => {
      const file = await t.storedFile.create({
        data: {
          tenantId: ctx.tenantId,
          storageKey: stored.key,
          fileName: input.fileName,
          contentType: type,
          byteSize: BigInt(stored.byteSize),
          sha256: stored.sha256,
          purpose: input.purpose,
          createdById: ctx.principal.subject,
        },
      });
      await recordAudit(t, ctx, {
        action: "file.uploaded",
        entityType: "StoredFile",
        entityId: file.id,
        after: {
          fileName: file.fileName,
          byteSize: stored.byteSize,
          sha256: stored.sha256,
          purpose: file.purpose,
        },
      });
      return {
        id: file.id,
        fileName: file.fileName,
        contentType: type,
        byteSize: stored.byteSize,
        sha256: stored.sha256,
      };
    });
  } catch (error) {
    await storage.remove(stored.key);
    throw error;
  }
}
