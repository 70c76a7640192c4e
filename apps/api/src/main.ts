// Entry point: `node dist/main.js` serves the API; `--worker` runs background jobs.
import "reflect-metadata";
import express from "express";
import { createDb } from "@pbms/db";
import { loadEnv } from "./env.ts";
import { createLogger } from "./logger.ts";
import { JobWorker } from "./modules/jobs/job.worker.ts";
import "./modules/jobs/types/index.ts";
import { createApi } from "./server.ts";
import { createStorage } from "./storage/create.ts";
import { startDataSourceScheduler } from "./modules/datasources/scheduler.ts";

const env = loadEnv();
const log = createLogger(env.LOG_LEVEL);
const db = createDb(env.DATABASE_URL);
const storage = createStorage(env);
const stops: (() => Promise<void>)[] = [];

if (process.argv.includes("--worker")) {
  const worker = new JobWorker(db, log, {
    databaseUrl: env.DATABASE_URL,
    storage,
  });
  await worker.start();
  const health = express();
  health.get("/healthz", (_req, res) => {
    res.json({ status: "ok", worker: worker.id });
  });
  const server = health.listen(env.WORKER_PORT);
  stops.push(
    () => worker.stop(),
    startDataSourceScheduler(db, log),
    () => new Promise((r) => server.close(() => r())),
  );
} else {
  const api = await createApi({ env, db, log, storage });
  const running = await api.listen(env.API_PORT);
  log.info({ url: `${running.url}/graphql` }, "API listening");
  stops.push(() => running.close());
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    for (const stop of stops)
      await stop().catch((err: unknown) => log.error({ err }, "shutdown step failed"));
    await db.$disconnect();
    process.exit(0);
  });
}
