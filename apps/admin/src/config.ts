/**
 * Runtime configuration. The same build runs in every environment: on start the SPA
 * fetches `config.json` next to index.html (public/config.json in development; the
 * web server provides it in production) and merges it over the defaults below.
 */
export interface AppConfig {
  /** GraphQL endpoint of the API. */
  apiUrl: string;
  /** Base URL of the OpenID provider (Keycloak URL layout: `${oidcUrl}/realms/${realm}`). */
  oidcUrl: string;
  realm: string;
  clientId: string;
}

export const defaultConfig: Readonly<AppConfig> = Object.freeze({
  apiUrl: "http://localhost:4000/graphql",
  oidcUrl: "http://localhost:8080",
  realm: "pbms",
  clientId: "pbms-admin",
});

const keys = Object.keys(defaultConfig) as (keyof AppConfig)[];

/**
 * Merges an untrusted value (parsed config.json) over `base`: only known keys with
 * non-empty string values are taken; everything else keeps its default. A trailing
 * slash is removed from `oidcUrl` (keycloak-js appends `/realms/...` itself).
 */
export function mergeConfig(raw: unknown, base: Readonly<AppConfig> = defaultConfig): AppConfig {
  const merged: AppConfig = { ...base };
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    const record = raw as Record<string, unknown>;
    for (const key of keys) {
      const value = record[key];
      if (typeof value === "string" && value.trim() !== "") merged[key] = value.trim();
    }
  }
  merged.oidcUrl = merged.oidcUrl.replace(/\/+$/, "");
  return merged;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Pick<Response, "ok" | "json">>;

/**
 * Fetches and merges the runtime configuration. A missing or unreadable config.json
 * yields the defaults (convenient for `vite dev` without public/config.json).
 */
export async function loadConfig(
  url: string = `${import.meta.env.BASE_URL}config.json`,
  fetchImpl: FetchLike = (input, init) => fetch(input, init),
): Promise<AppConfig> {
  try {
    const response = await fetchImpl(url, { cache: "no-store", headers: { accept: "application/json" } });
    if (!response.ok) return mergeConfig(undefined);
    return mergeConfig(await response.json());
  } catch (_error) {
    return mergeConfig(undefined);
  }
}
