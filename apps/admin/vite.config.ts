import type { IncomingMessage, ServerResponse } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

function adminPort(): number {
  const raw = process.env.ADMIN_PORT;
  if (raw === undefined || raw === "") return 5173;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`ADMIN_PORT must be a TCP port number, got "${raw}"`);
  }
  return port;
}

const port = adminPort();

/**
 * When the local stack runs on other ports (`npm start` with API_PORT/IDP_PORT),
 * it passes PBMS_API_URL / PBMS_OIDC_URL; serve /config.json from them instead
 * of public/config.json, in `vite` and `vite preview` alike.
 */
function runtimeConfigFromEnv(): Plugin {
  const apiUrl = process.env.PBMS_API_URL;
  const oidcUrl = process.env.PBMS_OIDC_URL;
  const serve = (_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader("content-type", "application/json");
    res.setHeader("cache-control", "no-store");
    res.end(JSON.stringify({ apiUrl, oidcUrl, realm: "pbms", clientId: "pbms-admin" }));
  };
  return {
    name: "pbms-runtime-config",
    configureServer(server) {
      if (apiUrl && oidcUrl) server.middlewares.use("/config.json", serve);
    },
    configurePreviewServer(server) {
      if (apiUrl && oidcUrl) server.middlewares.use("/config.json", serve);
    },
  };
}

export default defineConfig({
  plugins: [react(), runtimeConfigFromEnv()],
  server: { port, strictPort: true },
  preview: { port, strictPort: true },
  build: {
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Split the large, rarely-changing vendor code into cacheable chunks.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 40 },
            { name: "mui", test: /node_modules[\\/](@mui|@emotion)[\\/]/, priority: 30 },
            {
              name: "react-admin",
              test: /node_modules[\\/](react-admin|ra-core|ra-ui-materialui|ra-data-graphql[^\\/]*|react-hook-form|@tanstack|lodash)[\\/]/,
              priority: 20,
            },
            { name: "router", test: /node_modules[\\/](react-router[^\\/]*)[\\/]/, priority: 21 },
            {
              name: "graphql",
              test: /node_modules[\\/](@apollo|graphql|graphql-tag|graphql-ast-types-browser|@wry|optimism|rehackt)[\\/]/,
              priority: 25,
            },
          ],
        },
      },
    },
  },
});
