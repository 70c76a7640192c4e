export { prepareDatabase, openServer, repoRoot, type Database } from "./database.ts";
export { startStack, portsFromEnv, urlsFor, type Ports, type StackUrls } from "./stack.ts";
