import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import cors from "cors";
import express from "express";
import { pinoHttp } from "pino-http";
import type { Db } from "@pbms/db";
import { createAuthenticator, createDepartmentResolver } from "./auth/authenticate.ts";
import { createTokenVerifier } from "./auth/verify.ts";
import type { RequestContext } from "./context.ts";
import { jwksUrl, type Env } from "./env.ts";
import { formatError } from "./errors.ts";
import { pbmsSchema } from "./graphql/schema.ts";
import { createMetrics } from "./http/metrics.ts";
import { createRoutes } from "./http/routes.ts";
import type { Logger } from "./logger.ts";
import { createStorage } from "./storage/create.ts";
import type { Storage } from "./storage/storage.ts";

export interface ApiDeps {
  env: Env;
  db: Db;
  log: Logger;
  /** Where uploads and documents are kept; by default the one `env` selects. */
  storage?: Storage;
}

export interface RunningApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{8,100}$/;

/** Builds the HTTP application: GraphQL at /graphql plus health, readiness, metrics and downloads. */
export async function createApi({ env, db, log, storage = createStorage(env) }: ApiDeps) {
  const metrics = createMetrics();
  const verify = createTokenVerifier({
    issuer: env.OIDC_ISSUER,
    audience: env.OIDC_AUDIENCE,
    jwksUrl: jwksUrl(env),
  });
  const authenticate = createAuthenticator(verify, createDepartmentResolver(db));

  const armor = new ApolloArmor({
    maxDepth: { n: env.GRAPHQL_MAX_DEPTH },
    costLimit: { maxCost: env.GRAPHQL_MAX_COST },
    maxAliases: { n: 15 },
    maxDirectives: { n: 20 },
    maxTokens: { n: 2000 },
  });
  const protection = armor.protect();
  const apollo = new ApolloServer<RequestContext>({
    schema: await pbmsSchema(),
    ...protection,
    plugins: [
      ...protection.plugins,
      ...(env.NODE_ENV === "production" ? [ApolloServerPluginLandingPageDisabled()] : []),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ operationName, errors }) {
              metrics.graphqlOperations.inc({
                operation: operationName ?? "anonymous",
                outcome: errors?.length ? "error" : "ok",
              });
            },
          };
        },
      },
    ],
    validationRules: [...protection.validationRules],
    formatError: formatError(log),
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1);
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const header = req.headers["x-request-id"];
        const id = typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      customProps: (req) => ({ sub: (req as { subject?: string }).subject }),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split("?")[0],
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/metrics" },
    }),
  );
  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.on("finish", () =>
      end({ route: req.route?.path ?? req.path.split("/")[1] ?? "", status: res.statusCode }),
    );
    next();
  });
  app.use(
    cors({
      origin: env.CORS_ORIGINS,
      allowedHeaders: [
        "authorization",
        "content-type",
        "x-request-id",
        "x-file-name",
        "apollo-require-preflight",
      ],
      exposedHeaders: ["x-request-id", "content-disposition"],
      maxAge: 600,
    }),
  );
  app.use(
    createRoutes({
      db,
      databaseUrl: env.DATABASE_URL,
      metrics,
      log,
      authenticate,
      storage,
      uploadMaxBytes: env.UPLOAD_MAX_BYTES,
      documentMaxBytes: env.DOCUMENT_MAX_BYTES,
    }),
  );
  app.use("/registry", (await import("./g2p/router.ts")).createG2pRouter({ env, db, log, authenticate }));
  app.use(
    "/graphql",
    express.json({ limit: env.BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const auth = await authenticate(req.headers.authorization);
        (req as { subject?: string }).subject = auth.principal.subject;
        return { ...auth, requestId: String(req.id), db, log: req.log };
      },
    }),
  );
  app.use(
    (
      err: Error & { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = err.status ?? 500;
      if (status >= 500) log.error({ err }, "request failed");
      res.status(status).json({
        errors: [
          {
            message:
              status === 413
                ? "Request body too large"
                : status < 500
                  ? err.message
                  : "Internal server error",
            extensions: {
              code:
                status === 413 ? "PAYLOAD_TOO_LARGE" : status < 500 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR",
            },
          },
        ],
      });
    },
  );

  return {
    app,
    apollo,
    async listen(port: number, host = "0.0.0.0"): Promise<RunningApi> {
      const server: Server = await new Promise((resolve) => {
        const s = app.listen(port, host, () => resolve(s));
      });
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      return {
        url: `http://localhost:${actual}`,
        port: actual,
        close: async () => {
          await new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeAllConnections?.();
          await apollo.stop();
        },
      };
    },
  };
}
