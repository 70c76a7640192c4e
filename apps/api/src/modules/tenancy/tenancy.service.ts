import type { Prisma } from "@pbms/db";
import { tx, type RequestContext } from "../../context.ts";
import { notFound } from "../../errors.ts";
import { paging } from "../../graphql/list.ts";
import { recordAudit } from "../audit/audit.service.ts";
import type { UpdateDepartmentArgs, UserProfileFilter, UserProfileListArgs } from "./tenancy.type.ts";

export function findOwnDepartment(ctx: RequestContext) {
  return tx(ctx, async (t) => {
    const department = await t.department.findUnique({ where: { id: ctx.tenantId } });
    if (!department) throw notFound("Department", ctx.tenantId);
    return department;
  });
}

export function findDepartment(ctx: RequestContext, id: string) {
  return tx(ctx, (t) => t.department.findUnique({ where: { id } }));
}

/** Changes the caller's department settings; other departments are invisible (NOT_FOUND). */
export function updateDepartment(ctx: RequestContext, args: UpdateDepartmentArgs) {
  return tx(ctx, async (t) => {
    const before = await t.department.findUnique({ where: { id: args.id } });
    if (!before) throw notFound("Department", args.id);
    const after = await t.department.update({
      where: { id: args.id },
      data: { name: args.name, locale: args.locale, currency: args.currency, timezone: args.timezone },
    });
    await recordAudit(t, ctx, {
      action: "department.updated",
      entityType: "Department",
      entityId: after.id,
      before: settings(before),
      after: settings(after),
    });
    return after;
  });
}

function settings(d: { name: string; locale: string; currency: string; timezone: string }) {
  return { name: d.name, locale: d.locale, currency: d.currency, timezone: d.timezone };
}

/** Records a sign-in: refreshes the user's directory entry from the token and audits it. */
export function recordSignIn(ctx: RequestContext) {
  const p = ctx.principal;
  const profile = { username: p.username, name: p.name ?? null, email: p.email ?? null, roles: p.roles };
  return tx(ctx, async (t) => {
    const now = new Date();
    const user = await t.userProfile.upsert({
      where: { tenantId_subject: { tenantId: ctx.tenantId, subject: p.subject } },
      create: { tenantId: ctx.tenantId, subject: p.subject, ...profile, lastSignInAt: now },
      update: { ...profile, lastSignInAt: now },
    });
    await recordAudit(t, ctx, {
      action: "user.signed_in",
      entityType: "UserProfile",
      entityId: user.id,
      after: { username: user.username, roles: user.roles, clientId: p.clientId },
    });
    return user;
  });
}

const USER_SORTABLE = ["username", "name", "lastSignInAt", "firstSeenAt"] as const;

function userWhere(filter: UserProfileFilter = {}): Prisma.UserProfileWhereInput {
  const q = filter.q?.trim();
  return {
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.role ? { roles: { has: filter.role } } : {}),
    ...(q
      ? {
          OR: [
            { username: { contains: q, mode: "insensitive" } },
            { name: { contains: q, mode: "insensitive" } },
            { email: { contains: q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
}

export function findUserProfiles(ctx: RequestContext, args: UserProfileListArgs) {
  const { skip, take, orderBy } = paging(args, USER_SORTABLE, "username");
  return tx(ctx, (t) => t.userProfile.findMany({ where: userWhere(args.filter), skip, take, orderBy }));
}

export function countUserProfiles(ctx: RequestContext, args: UserProfileListArgs) {
  return tx(ctx, (t) => t.userProfile.count({ where: userWhere(args.filter) }));
}

export function findUserProfile(ctx: RequestContext, id: string) {
  return tx(ctx, (t) => t.userProfile.findUnique({ where: { id } }));
}

/** Dashboard counts, computed in one round trip by PostgreSQL. */
export function dashboardStats(ctx: RequestContext) {
  return tx(ctx, async (t) => {
    const [row] = await t.$queryRaw<
      {
        audit_today: number;
        jobs_running: number;
        jobs_failed: number;
        users: number;
        last_sign_in: Date | null;
      }[]
    >`SELECT
        (SELECT count(*)::int FROM audit_event WHERE occurred_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS audit_today,
        (SELECT count(*)::int FROM job WHERE state IN ('QUEUED', 'RUNNING')) AS jobs_running,
        (SELECT count(*)::int FROM job WHERE state = 'FAILED' AND finished_at > now() - interval '7 days') AS jobs_failed,
        (SELECT count(*)::int FROM user_profile) AS users,
        (SELECT max(last_sign_in_at) FROM user_profile) AS last_sign_in`;
    return {
      auditEventsToday: row?.audit_today ?? 0,
      jobsRunning: row?.jobs_running ?? 0,
      jobsFailed: row?.jobs_failed ?? 0,
      users: row?.users ?? 0,
      lastSignInAt: row?.last_sign_in ?? null,
    };
  });
}
