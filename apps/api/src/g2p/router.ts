// G2P Connect registry search over HTTP, mounted at /registry:
//   POST /registry/sync/search          search; the on-search envelope is the response
//   POST /registry/search               ACK now, on-search POSTed to header.sender_uri later
//   GET  /registry/.well-known/jwks.json public keys of the response signatures
// Every POST response (and callback) carries a `Signature` header (see
// @pbms/g2p-connect signature.ts). Searches are reads: no audit events, but
// each is logged with its request id.
import express, { Router, type NextFunction, type Request, type Response } from "express";
import type { Db } from "@pbms/db";
import {
  ackResponse,
  describeErrors,
  httpErrorResponse,
  newMessageId,
  signBody,
  validateRegistrySearchRequest,
  type ErrorCode,
  type RegistrySearchRequestEnvelope,
} from "@pbms/g2p-connect";
import type { Authenticated } from "../auth/authenticate.ts";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import { deliverCallback, TaskQueue } from "./callbacks.ts";
import {
  G2P_SEARCH_ROLES,
  loadG2pConfig,
  MAX_PENDING_CALLBACKS,
  SIGNATURE_TTL_SECONDS,
  type G2pConfig,
} from "./config.ts";
import { answerSearch, headerProblem, rejectInvalid } from "./registry-search.service.ts";
import { loadRegistrySigning, type RegistrySigning } from "./signing.ts";

export interface G2pRegistryDeps {
  env: Pick<Env, "NODE_ENV" | "BODY_LIMIT">;
  db: Db;
  log: Logger;
  authenticate(authorization: string | undefined): Promise<Authenticated>;
  /** Where G2P_* settings are read (default: process.env). */
  settings?: NodeJS.ProcessEnv;
}

interface Locals {
  auth: Authenticated;
  signing: RegistrySigning;
}

export function createG2pRouter(deps: G2pRegistryDeps): Router {
  const { db, log } = deps;
  const config = loadG2pConfig(deps.settings);
  const production = deps.env.NODE_ENV === "production";
  const signing = loadRegistrySigning({
    jwk: config.G2P_SIGNING_JWK,
    senderId: config.G2P_SENDER_ID,
    production,
    log,
  }).catch((err: unknown) => {
    log.error({ err }, "G2P Connect signing key could not be loaded: the registry API answers 503");
    return undefined;
  });
  const queue = new TaskQueue({ concurrency: 2, maxPending: MAX_PENDING_CALLBACKS, log });
  const json = express.json({ limit: deps.env.BODY_LIMIT, type: ["application/json", "application/*+json"] });
  const router = Router();

  /** Sends `body` as JSON with its Signature and Digest headers. */
  async function send(res: Response, status: number, body: unknown) {
    const bytes = Buffer.from(JSON.stringify(body), "utf8");
    const keys = (res.locals as Partial<Locals>).signing ?? (await signing);
    if (keys) {
      const signed = await signBody(bytes, keys.signer, { ttlSeconds: SIGNATURE_TTL_SECONDS });
      res.setHeader("Signature", signed.signature);
      res.setHeader("Digest", signed.digest);
    }
    res.status(status).type("application/json").setHeader("Cache-Control", "no-store").send(bytes);
  }

  /** 503 until the signing key is available (production without G2P_SIGNING_JWK). */
  async function ready(_req: Request, res: Response, next: NextFunction) {
    const keys = await signing;
    if (!keys) {
      res
        .status(503)
        .json(httpErrorResponse("err.service.unavailable", "The G2P Connect registry API is not configured"));
      return;
    }
    (res.locals as Partial<Locals>).signing = keys;
    next();
  }

  /** Bearer token of a department user or client with a search role; 401/403 in the spec's error shape. */
  async function authenticated(req: Request, res: Response, next: NextFunction) {
    let auth: Authenticated;
    try {
      auth = await deps.authenticate(req.headers.authorization);
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (code !== "UNAUTHENTICATED" && code !== "FORBIDDEN") throw error;
      const message = (error as Error).message;
      if (code === "UNAUTHENTICATED") {
        res.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
        await send(res, 401, httpErrorResponse("err.request.unauthorized", message));
      } else await send(res, 403, httpErrorResponse("err.request.forbidden", message));
      return;
    }
    if (!auth.principal.roles.some((r) => G2P_SEARCH_ROLES.includes(r))) {
      await send(
        res,
        403,
        httpErrorResponse(
          "err.request.forbidden",
          `Searching the registry needs one of the roles ${G2P_SEARCH_ROLES.join(", ")}`,
        ),
      );
      return;
    }
    (req as { subject?: string }).subject = auth.principal.subject;
    (res.locals as Partial<Locals>).auth = auth;
    next();
  }

  /** The body as a plain message, or a 400 already sent. */
  async function messageOf(req: Request, res: Response): Promise<Record<string, unknown> | undefined> {
    const body: unknown = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      await send(
        res,
        400,
        httpErrorResponse(
          "err.request.bad",
          "The body must be a JSON object (Content-Type: application/json)",
        ),
      );
      return undefined;
    }
    const b = body as { header?: { is_msg_encrypted?: unknown }; message?: { ciphertext?: unknown } };
    if (b.header?.is_msg_encrypted === true || b.message?.ciphertext !== undefined) {
      await send(
        res,
        400,
        httpErrorResponse("err.encryption.invalid", "Encrypted messages are not supported here"),
      );
      return undefined;
    }
    return body as Record<string, unknown>;
  }

  const scopeOf = (req: Request, auth: Authenticated) => ({
    tenantId: auth.tenantId,
    actorId: auth.principal.subject,
    requestId: String(req.id),
  });

  router.get("/.well-known/jwks.json", ready, (_req, res) => {
    const keys = (res.locals as Locals).signing;
    res.setHeader("Cache-Control", "public, max-age=300");
    res.json(keys.jwks);
  });

  router.post("/sync/search", ready, authenticated, json, async (req, res) => {
    const { auth } = res.locals as Locals;
    const body = await messageOf(req, res);
    if (!body) return;
    const validation = validateRegistrySearchRequest(body);
    if (!validation.valid) {
      req.log.info(
        { dialect: validation.dialect, errors: validation.errors.length },
        "g2p sync search rejected",
      );
      await send(res, 400, rejectInvalid(body, validation.errors, config.G2P_SENDER_ID));
      return;
    }
    const request = validation.value;
    const outcome = await answerSearch({
      db,
      scope: scopeOf(req, auth),
      senderId: config.G2P_SENDER_ID,
      request,
    });
    req.log.info(
      {
        dialect: validation.dialect,
        transactionId: request.message.transaction_id,
        messageId: request.header.message_id,
        succeeded: outcome.succeeded,
        rejected: outcome.rejected,
      },
      "g2p sync search",
    );
    await send(res, outcome.envelope.header.status === "rjct" ? 400 : 200, outcome.envelope);
  });

  router.post("/search", ready, authenticated, json, async (req, res) => {
    const { auth, signing: keys } = res.locals as Locals;
    const correlationId = newMessageId();
    const refuse = (status: number, code: ErrorCode, message: string) =>
      send(res, status, ackResponse(correlationId, { error: code, message }));
    const body = await messageOf(req, res);
    if (!body) return;
    const validation = validateRegistrySearchRequest(body, { mode: "async" });
    if (!validation.valid) {
      const version = validation.errors.some((e) => e.pointer.startsWith("/header/version"));
      await refuse(
        400,
        version ? "err.version.not_supported" : "err.request.bad",
        describeErrors(validation.errors),
      );
      return;
    }
    const request: RegistrySearchRequestEnvelope = validation.value;
    const target = callbackTarget(request.header.sender_uri, config, production);
    if ("problem" in target) {
      await refuse(400, "err.sender_uri.invalid", target.problem);
      return;
    }
    const problem = headerProblem(request);
    if (problem) {
      await refuse(
        400,
        problem.code === "rjct.version.invalid" ? "err.version.not_supported" : "err.request.bad",
        problem.message,
      );
      return;
    }
    const scope = scopeOf(req, auth);
    const context = {
      requestId: scope.requestId,
      correlationId,
      transactionId: request.message.transaction_id,
      callback: target.url.origin,
    };
    const taskLog = log.child(context);
    const queued = queue.push(async () => {
      const outcome = await answerSearch({
        db,
        scope,
        senderId: config.G2P_SENDER_ID,
        request,
        correlationId,
      });
      taskLog.info({ succeeded: outcome.succeeded, rejected: outcome.rejected }, "g2p async search answered");
      const bytes = Buffer.from(JSON.stringify(outcome.envelope), "utf8");
      const signed = await signBody(bytes, keys.signer, { ttlSeconds: SIGNATURE_TTL_SECONDS });
      await deliverCallback({
        url: target.url.href,
        body: bytes.toString("utf8"),
        headers: { Signature: signed.signature, Digest: signed.digest, "X-Correlation-ID": correlationId },
        log: taskLog,
      });
    });
    if (!queued) {
      await refuse(503, "err.service.unavailable", "Too many searches waiting: try again later");
      return;
    }
    req.log.info({ ...context, dialect: validation.dialect }, "g2p async search accepted");
    await send(res, 202, ackResponse(correlationId));
  });

  router.use(async (req, res) => {
    await send(
      res,
      404,
      httpErrorResponse("err.request.not_found", `${req.method} /registry${req.path} is not served`),
    );
  });

  router.use(
    async (
      err: Error & { status?: number; type?: string },
      req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
      if (status === 500) log.error({ err, requestId: String(req.id) }, "g2p registry request failed");
      if (res.headersSent) return;
      const message =
        status === 500
          ? "Internal error"
          : err.type === "entity.too.large"
            ? "Request body too large"
            : err.type === "entity.parse.failed"
              ? "The body is not valid JSON"
              : err.message;
      await send(
        res,
        status,
        httpErrorResponse(status === 500 ? "err.service.unavailable" : "err.request.bad", message),
      ).catch(() => res.status(status).end());
    },
  );

  return router;
}

/** The http(s) URL on-search is POSTed to, if this instance may call it. */
function callbackTarget(
  value: string | undefined,
  config: G2pConfig,
  production: boolean,
): { url: URL } | { problem: string } {
  if (!value) return { problem: "header.sender_uri is required: the on-search callback is POSTed to it" };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: "header.sender_uri is not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { problem: "header.sender_uri must be an http(s) URL" };
  if (url.username || url.password) return { problem: "header.sender_uri must not carry credentials" };
  const allowed = config.G2P_CALLBACK_ORIGINS;
  if (allowed.length ? !allowed.includes(url.origin) : production)
    return { problem: `callbacks to ${url.origin} are not allowed on this registry` };
  return { url };
}
