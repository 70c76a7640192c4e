import { Router, type Request } from "express";
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

export interface RouteDeps {
  db: Db;
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

  router.get("/jobs/:id/output", async (req: Request<{ id: string }>, res) => {
    try {
      const auth = await deps.authenticate(req.headers.authorization);
      if (!auth.principal.roles.some((r) => Object.values(Role).includes(r)))
        throw new AppError("FORBIDDEN", "No role");
      const ctx: RequestContext = { ...auth, requestId: String(req.id), db: deps.db, log: deps.log };
      const job = await findJob(ctx, req.params.id).catch(() => null);
      const output = job ? await findJobOutput(ctx, job.id) : null;
      if (!output) {
        res.status(404).json({ error: { code: "NOT_FOUND", message: `No output for job ${req.params.id}` } });
        return;
      }
      res
        .status(200)
        .type(output.contentType)
        .attachment(output.fileName)
        .set("Cache-Control", "no-store")
        .send(Buffer.from(output.data));
    } catch (error) {
      const code = error instanceof AppError ? String(error.extensions.code) : "INTERNAL_SERVER_ERROR";
      if (code === "INTERNAL_SERVER_ERROR") deps.log.error({ err: error }, "download failed");
      const status = code === "UNAUTHENTICATED" ? 401 : code === "FORBIDDEN" ? 403 : 500;
      res.status(status).json({
        error: { code, message: status === 500 ? "Internal server error" : (error as Error).message },
      });
    }
  });

  return router;
}
