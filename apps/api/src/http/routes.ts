import { Router, type Request, type Response } from "express";
import pg from "pg";
import { pendingMigrations } from "@pbms/db";
import type { Authenticated } from "../auth/authenticate.ts";
import { Role } from "../auth/roles.ts";
import type { RequestContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { findJob, findJobOutput } from "../modules/jobs/job.service.ts";
import type { Metrics } from "./metrics.ts";
import type { Db } from "@pbms/db";
import { uploadFile } from "../modules/imports/file.service.ts";
import { attachDocument, openDocument } from "../modules/registry/document.service.ts";
import { canSeePii } from "../modules/registry/pii.ts";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ObjectNotFoundError, type Storage } from "../storage/storage.ts";

export interface RouteDeps {
  db: Db;
  storage: Storage;
  uploadMaxBytes: number;
  documentMaxBytes: number;
  databaseUrl: string;
  metrics: Metrics;
  log: Logger;
  authenticate(authorization: string | undefined): Promise<Authenticated>;
}

/** Operational endpoints and file downloads. */
export function createRoutes(deps: RouteDeps): Router {
  const router = Router();

  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  router.get("/readyz", async (_req, res) => {
    const client = new pg.Client({ connectionString: deps.databaseUrl, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      const pending = await pendingMigrations(client);
      if (pending.length) {
        res.status(503).json({ status: "migrations pending", pending });
        return;
      }
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "database unreachable" });
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  router.get("/metrics", async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  /** Uploads a file (raw body; name in `x-file-name`, purpose in `?purpose=IMPORT`) for a later job. */
  router.post("/files", async (req, res) => {
    try {
      const auth = await deps.authenticate(req.headers.authorization);
      if (!auth.principal.roles.some((r) => r === Role.Admin || r === Role.Registrar)) {
        throw new AppError("FORBIDDEN", "Only registrars and admins upload files");
      }
      const ctx: RequestContext = { ...auth, requestId: String(req.id), db: deps.db, log: deps.log };
      const file = await uploadFile(ctx, deps.storage, {
        purpose: String(req.query.purpose ?? "IMPORT"),
        fileName: fileNameHeader(req, "upload.csv"),
        contentType: req.headers["content-type"] ?? "application/octet-stream",
        body: req,
        maxBytes: deps.uploadMaxBytes,
      });
      res.status(201).json(file);
    } catch (error) {
      sendError(res, error, deps.log);
    }
  });

  /** Attaches a document to a registrant (raw body; `?type=ID_CARD`, name in `x-file-name`). */
  router.post("/registrants/:id/documents", async (req: Request<{ id: string }>, res) => {
    try {
      const auth = await deps.authenticate(req.headers.authorization);
      if (!auth.principal.roles.some((r) => r === Role.Admin || r === Role.Registrar)) {
        throw new AppError("FORBIDDEN", "Only registrars and admins attach documents");
      }
      const ctx: RequestContext = { ...auth, requestId: String(req.id), db: deps.db, log: deps.log };
      const doc = await attachDocument(ctx, deps.storage, {
        registrantId: req.params.id,
        type: String(req.query.type ?? "OTHER"),
        description: req.query.description ? String(req.query.description) : undefined,
        fileName: fileNameHeader(req, "document"),
        contentType: req.headers["content-type"] ?? "application/octet-stream",
        body: req,
        maxBytes: deps.documentMaxBytes,
      });
      res
        .status(201)
        .json({ id: doc.id, type: doc.type, fileName: doc.file.fileName, byteSize: doc.file.byteSize });
    } catch (error) {
      sendError(res, error, deps.log);
    }
  });

  /** Downloads a document's content (roles with access to personal data). */
  router.get("/documents/:id/content", async (req: Request<{ id: string }>, res) => {
    try {
      const auth = await deps.authenticate(req.headers.authorization);
      const ctx: RequestContext = { ...auth, requestId: String(req.id), db: deps.db, log: deps.log };
      if (!canSeePii(ctx)) throw new AppError("FORBIDDEN", "Your roles do not give access to documents");
      if (!/^[0-9a-f-]{36}$/i.test(req.params.id)) throw new AppError("NOT_FOUND", "No such document");
      const { doc, stream } = await openDocument(ctx, deps.storage, req.params.id);
      // Storage streams open lazily: a missing object shows on the first read,
      // before any header is sent, so it can still be answered with a 404.
      await new Promise((resolve, reject) => {
        stream.once("readable", resolve);
        stream.once("error", reject);
      }).catch((error: unknown) => {
        if (error instanceof ObjectNotFoundError)
          throw new AppError("NOT_FOUND", "The document's file is missing from storage");
        throw error;
      });
      // Always a download, typed as stored (attachment() would retype it from
      // the uploader's file name, so the type is set after it), never sniffed
      // or run by the browser.
      res.status(200).attachment(doc.file.fileName).type(doc.file.contentType).set({
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
      });
      await pipeline(stream, res);
    } catch (error) {
      if (!res.headersSent) sendError(res, error, deps.log);
    }
  });

  /** Downloads a job's file, streamed from storage (an output from before storage, from its row). */
  router.get("/jobs/:id/output", async (req: Request<{ id: string }>, res) => {
    const notFound = (message: string) => res.status(404).json({ error: { code: "NOT_FOUND", message } });
    try {
      const auth = await deps.authenticate(req.headers.authorization);
      if (!auth.principal.roles.some((r) => Object.values(Role).includes(r)))
        throw new AppError("FORBIDDEN", "No role");
      const ctx: RequestContext = { ...auth, requestId: String(req.id), db: deps.db, log: deps.log };
      const job = await findJob(ctx, req.params.id).catch(() => null);
      const output = job ? await findJobOutput(ctx, job.id) : null;
      if (!output) {
        notFound(`No output for job ${req.params.id}`);
        return;
      }
      const content = output.storageKey
        ? deps.storage.get(output.storageKey)
        : Readable.from([Buffer.from(output.data ?? [])]);
      if (!(await opened(content))) {
        notFound(`The output of job ${req.params.id} is missing from storage`);
        return;
      }
      res
        .status(200)
        .attachment(output.fileName)
        .type(output.contentType)
        .set({
          "Content-Length": String(output.byteSize),
          "X-Content-Type-Options": "nosniff",
          "Cache-Control": "no-store",
        });
      await pipeline(content, res);
    } catch (error) {
      if (!res.headersSent) sendError(res, error, deps.log);
    }
  });

  return router;
}

/**
 * Waits for the first read of a storage stream, which opens lazily: a missing
 * object shows here, before any header is sent. False when it is missing.
 */
function opened(stream: Readable): Promise<boolean> {
  return new Promise((resolve, reject) => {
    stream.once("readable", () => resolve(true));
    stream.once("error", (error) => (error instanceof ObjectNotFoundError ? resolve(false) : reject(error)));
  });
}

const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
};

/** Answers a REST route's error with the same codes GraphQL uses. */
function sendError(res: Response, error: unknown, log: Logger): void {
  const extensions = error instanceof AppError ? error.extensions : undefined;
  const code = extensions ? String(extensions.code) : "INTERNAL_SERVER_ERROR";
  if (code === "INTERNAL_SERVER_ERROR") log.error({ err: error }, "request failed");
  const status = (extensions?.http as { status?: number } | undefined)?.status ?? STATUS[code] ?? 500;
  const { http: _http, ...rest } = extensions ?? {};
  res.status(status).json({
    error: { ...rest, code, message: status === 500 ? "Internal server error" : (error as Error).message },
  });
}

/** The file name a client sent in `x-file-name` (URI-encoded, as `encodeURIComponent` writes it), or `fallback`. */
function fileNameHeader(req: Request, fallback: string): string {
  const raw = req.headers["x-file-name"];
  if (raw == null) return fallback;
  try {
    return decodeURIComponent(String(raw));
  } catch {
    throw new AppError("BAD_USER_INPUT", "The x-file-name header must be URI-encoded", { field: "fileName" });
  }
}
