import "reflect-metadata";
export { createApi, type RunningApi } from "./server.ts";
export { loadEnv, type Env } from "./env.ts";
export { createLogger } from "./logger.ts";
export { JobWorker } from "./modules/jobs/job.worker.ts";
export { localStorage, type Storage } from "./storage/storage.ts";
export { createStorage } from "./storage/create.ts";
import "./modules/jobs/types/index.ts";
export { printSchemaFile } from "./graphql/sdl.ts";
