import type { Db } from "@pbms/db";
import { forbidden, unauthenticated } from "../errors.ts";
import { bearerToken, type Principal } from "./verify.ts";

/** Resolves department codes to ids (cached; departments are rarely added). */
export function createDepartmentResolver(db: Db) {
  const cache = new Map<string, { id: string; at: number }>();
  return async function departmentId(code: string): Promise<string | undefined> {
    const hit = cache.get(code);
    if (hit && Date.now() - hit.at < 60_000) return hit.id;
    const rows = await db.$queryRaw<{ id: string | null }[]>`SELECT app_department_id(${code}) AS id`;
    const id = rows[0]?.id ?? undefined;
    if (id) cache.set(code, { id, at: Date.now() });
    return id;
  };
}

export interface Authenticated {
  principal: Principal;
  tenantId: string;
}

/** Verifies the request's bearer token and resolves its department, or throws UNAUTHENTICATED/FORBIDDEN. */
export function createAuthenticator(
  verify: (token: string) => Promise<Principal>,
  departmentId: (code: string) => Promise<string | undefined>,
) {
  return async function authenticate(authorization: string | undefined): Promise<Authenticated> {
    const token = bearerToken(authorization);
    if (!token) throw unauthenticated();
    const principal = await verify(token);
    const tenantId = await departmentId(principal.tenantCode);
    if (!tenantId) throw forbidden(`Department ${principal.tenantCode} does not exist on this instance`);
    return { principal, tenantId };
  };
}
