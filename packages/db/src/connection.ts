/** Connection settings shared by the runtime client, the migration CLI and tests. */
export interface ConnectionFields {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

/** Splits a postgres:// URL into fields (the migrate adapter needs fields, not a URL). */
export function connectionFields(url: string): ConnectionFields {
  const u = new URL(url);
  const socketHost = u.searchParams.get("host");
  return {
    host: socketHost ?? decodeURIComponent(u.hostname || "localhost"),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    database: decodeURIComponent(u.pathname.replace(/^\//, "") || "postgres"),
  };
}

/** The owner connection used to apply migrations. */
export function migrationDatabaseUrl(): string {
  const url = process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("Set MIGRATION_DATABASE_URL (or DATABASE_URL) to apply migrations");
  return url;
}

/** Returns `url` pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
