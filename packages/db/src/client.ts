import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "./generated/prisma/client.ts";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Creates the process's Prisma client over a pg pool (no native engine). */
export function createDb(url: string, options: { max?: number } = {}): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: options.max ?? 10 }) });
}

/** Who acts in a transaction: set from the verified token, read by RLS policies and audit. */
export interface TenantScope {
  /** department id (uuid) */
  tenantId: string;
  actorId: string;
  requestId?: string | undefined;
}

/**
 * Runs `fn` in one transaction scoped to a department: PostgreSQL row-level
 * security then shows and accepts only that department's rows.
 */
export function inTenant<T>(
  db: Db,
  scope: TenantScope,
  fn: (tx: Tx) => Promise<T>,
  options: { timeout?: number; maxWait?: number } = {},
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.tenant_id', ${scope.tenantId}, true),
        set_config('app.actor_id', ${scope.actorId}, true),
        set_config('app.request_id', ${scope.requestId ?? ""}, true)`;
      return fn(tx);
    },
    { timeout: options.timeout ?? 15_000, maxWait: options.maxWait ?? 5_000 },
  );
}
