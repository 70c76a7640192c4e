// Local OpenID Connect provider for development and tests only. It imitates a
// Keycloak realm (URL layout, claims) so production can point at Keycloak by
// configuration alone.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type Provider from "oidc-provider";
import { REALM } from "./demo-data.js";
import { createProvider, ROUTES } from "./provider.js";
import { extraRoutes } from "./routes.js";

export {
  ADMIN_CLIENT_ID,
  API_AUDIENCE,
  DEMO_CLIENTS,
  DEMO_PASSWORD,
  DEMO_USERS,
  REALM,
  ROLES,
  subjectFor,
  type DemoClient,
  type DemoUser,
  type Role,
} from "./demo-data.js";

export interface IdpOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default: 127.0.0.1 and, when available, ::1 (so http://localhost:PORT works either way). */
  host?: string;
  /** Default `http://localhost:${port}`. */
  publicOrigin?: string;
  /** Origins of the admin app; pbms-admin may redirect anywhere below them. Default ["http://localhost:5173"]. */
  adminOrigins?: string[];
  /** Default 300. */
  accessTokenTtlSeconds?: number;
  /** Default 1800. */
  refreshTokenTtlSeconds?: number;
  /** Private RS256 key; default: generated at start. */
  privateJwk?: JWK;
  /** Receives operational messages (never credentials). Default: stderr. */
  log?: (line: string) => void;
}

export interface RunningIdp {
  /** `${publicOrigin}/realms/pbms` */
  issuer: string;
  port: number;
  jwksUri: string;
  tokenEndpoint: string;
  close(): Promise<void>;
}

async function signingKey(privateJwk: JWK | undefined): Promise<JWK> {
  const jwk =
    privateJwk ?? (await exportJWK((await generateKeyPair("RS256", { extractable: true })).privateKey));
  if (jwk.kty !== "RSA" || !jwk.d) throw new Error("privateJwk must be a private RSA key (RS256)");
  return { ...jwk, kid: jwk.kid ?? (await calculateJwkThumbprint(jwk)) };
}

const publicPart = ({ kty, n, e, kid }: JWK): JWK => ({ kty, n, e, kid, alg: "RS256", use: "sig" });

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** Serves the provider below the realm path (Keycloak's /realms/pbms), like mounting it in express. */
function mount(provider: Provider, prefix: string) {
  const callback = provider.callback();
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? "/";
    if (!url.startsWith(`${prefix}/`)) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(`Not found. This is the local PBMS identity provider; the realm lives under ${prefix}\n`);
      return;
    }
    // oidc-provider derives its mount path from req.originalUrl minus req.url.
    Object.assign(req, { originalUrl: url });
    req.url = url.slice(prefix.length);
    void callback(req, res);
  };
}

export async function startIdp(options: IdpOptions = {}): Promise<RunningIdp> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const key = await signingKey(options.privateJwk);

  let handle = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(503).end();
  };
  const newServer = () => createServer((req, res) => handle(req, res));
  const servers = [newServer()];
  const port = await listen(servers[0]!, options.port ?? 8080, options.host ?? "127.0.0.1");
  if (options.host === undefined) {
    const ipv6 = newServer();
    // Best effort: hosts without IPv6 loopback (or with the port taken there) keep IPv4 only.
    if (
      await listen(ipv6, port, "::1").then(
        () => true,
        () => false,
      )
    )
      servers.push(ipv6);
  }
  const close = async () => {
    await Promise.all(servers.map(closeServer));
  };

  try {
    const publicOrigin = new URL(options.publicOrigin ?? `http://localhost:${port}`).origin;
    const issuer = `${publicOrigin}/realms/${REALM}`;
    const adminOrigins = (options.adminOrigins ?? ["http://localhost:5173"]).map((o) => new URL(o).origin);
    const provider = createProvider({
      issuer,
      adminOrigins,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 300,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 1800,
      signingKey: key,
      log,
    });
    provider.use(extraRoutes(provider, { issuer, adminOrigins, publicKey: publicPart(key) }));
    handle = mount(provider, new URL(issuer).pathname);
    return {
      issuer,
      port,
      jwksUri: `${issuer}${ROUTES.jwks}`,
      tokenEndpoint: `${issuer}${ROUTES.token}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
