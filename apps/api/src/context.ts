import type { Db, TenantScope, Tx } from "@pbms/db";
import { inTenant } from "@pbms/db";
import type { Principal } from "./auth/verify.ts";
import type { Logger } from "./logger.ts";

/** What every resolver and REST handler receives for one request. */
export interface RequestContext {
  requestId: string;
  principal: Principal;
  /** Department id (uuid) resolved from the token's tenant claim. */
  tenantId: string;
  db: Db;
  log: Logger;
}

/** The transaction scope (department, actor, request) of a request. */
export function scopeOf(ctx: RequestContext): TenantScope {
  return { tenantId: ctx.tenantId, actorId: ctx.principal.subject, requestId: ctx.requestId };
}

/** Runs `fn` in one transaction limited by row-level security to the caller's department. */
export function tx<T>(ctx: RequestContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTenant(ctx.db, scopeOf(ctx), fn);
}

/** Display name of the actor for audit records. */
export function actorName(p: Principal): string {
  return p.name ?? p.username;
}
