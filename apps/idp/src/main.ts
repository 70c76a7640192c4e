// Start command of the local identity provider (development only).
import { DEMO_USERS, startIdp } from "./index.js";

function portFromEnv(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${value}`);
  return port;
}

const env = process.env;
const adminOrigins = env.ADMIN_ORIGINS
  ? env.ADMIN_ORIGINS.split(",")
      .map((origin) => origin.trim())
      .filter(Boolean)
  : [`http://localhost:${portFromEnv(env.ADMIN_PORT, 5173)}`];

const idp = await startIdp({
  port: portFromEnv(env.IDP_PORT, 8080),
  host: env.IDP_HOST || undefined,
  publicOrigin: env.IDP_PUBLIC_ORIGIN || undefined,
  adminOrigins,
});

process.stdout.write(
  `PBMS local IdP (development only) listening on port ${idp.port}, issuer ${idp.issuer}, ` +
    `admin origins ${adminOrigins.join(" ")}, demo users ${DEMO_USERS.map((u) => u.username).join(", ")}\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await idp.close();
  process.exit(0);
}
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
