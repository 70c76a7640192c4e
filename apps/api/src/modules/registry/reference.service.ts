// Department reference data of the registry (zones, identifier types,
// membership kinds, attribute definitions): list, read, create, update,
// delete — each change audited in its own transaction.
import type { Prisma, Tx } from "@pbms/db";
import { tx, type RequestContext } from "../../context.ts";
import { AppError, badInput, conflict, ErrorCode, notFound } from "../../errors.ts";
import { paging, type ListArgs } from "../../graphql/list.ts";
import { recordAudit } from "../audit/audit.service.ts";
import type { ReferenceFilter } from "./registry.type.ts";

type ModelName = "geoZone" | "idType" | "membershipKind" | "attributeDefinition";

interface Delegate<T> {
  findUnique(args: { where: { id: string } }): Promise<T | null>;
  findMany(args: object): Promise<T[]>;
  count(args: object): Promise<number>;
  create(args: { data: object }): Promise<T>;
  update(args: { where: { id: string }; data: object }): Promise<T>;
  delete(args: { where: { id: string } }): Promise<T>;
}

export interface ReferenceConfig<T, A> {
  model: ModelName;
  /** GraphQL type name, used in audit events (`GeoZone.created`). */
  entity: string;
  sortable: readonly string[];
  defaultSort: string;
  /** Fields a new record must have. */
  required: readonly (keyof A & string)[];
  /** Extra filter conditions beyond q/ids. */
  where?(filter: ReferenceFilter): object;
  /** Checks and completes the data to write (merged over the existing record on update). */
  prepare?(t: Tx, merged: A & Partial<T>, existing: T | null): Promise<object | void>;
  /**
   * Runs after the record is deleted, in the same transaction: throws when
   * something not tied by a foreign key still uses it (the deletion is rolled back).
   */
  stillUsed?(t: Tx, deleted: T): Promise<void>;
}

/** A taken code is reported on the code field. */
function codeTaken(error: { code?: string }): never {
  if (error.code === "P2002")
    throw new AppError(ErrorCode.Conflict, "This code is already used in your department", { field: "code" });
  throw error;
}

const delegate = <T>(t: Tx, model: ModelName) => t[model] as unknown as Delegate<T>;

export function referenceService<T extends { id: string }, A extends object>(cfg: ReferenceConfig<T, A>) {
  const where = (filter: ReferenceFilter = {}): Prisma.GeoZoneWhereInput => {
    const q = filter.q?.trim();
    const textField = cfg.model === "attributeDefinition" ? "label" : "name";
    return {
      ...(filter.ids ? { id: { in: filter.ids } } : {}),
      ...(q
        ? {
            OR: [
              { code: { contains: q, mode: "insensitive" } },
              { [textField]: { contains: q, mode: "insensitive" } },
            ],
          }
        : {}),
      ...(cfg.where?.(filter) ?? {}),
    };
  };
  const defined = (args: A) => Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));

  return {
    find: (ctx: RequestContext, args: ListArgs & { filter?: ReferenceFilter }) => {
      const { skip, take, orderBy } = paging(args, cfg.sortable, cfg.defaultSort, "ASC");
      return tx(ctx, (t) =>
        delegate<T>(t, cfg.model).findMany({ where: where(args.filter), skip, take, orderBy }),
      );
    },
    count: (ctx: RequestContext, args: { filter?: ReferenceFilter }) =>
      tx(ctx, (t) => delegate<T>(t, cfg.model).count({ where: where(args.filter) })),
    get: (ctx: RequestContext, id: string) =>
      tx(ctx, (t) => delegate<T>(t, cfg.model).findUnique({ where: { id } })),
    create: (ctx: RequestContext, args: A) =>
      tx(ctx, async (t) => {
        for (const field of cfg.required) {
          if ((args as Record<string, unknown>)[field] == null) throw badInput(field, `${field} is required`);
        }
        const data = { ...defined(args), ...((await cfg.prepare?.(t, args as A & Partial<T>, null)) ?? {}) };
        const created = await delegate<T>(t, cfg.model)
          .create({ data: { ...data, tenantId: ctx.tenantId } })
          .catch(codeTaken);
        await recordAudit(t, ctx, {
          action: `${cfg.entity}.created`,
          entityType: cfg.entity,
          entityId: created.id,
          after: created,
        });
        return created;
      }),
    update: (ctx: RequestContext, id: string, args: A) =>
      tx(ctx, async (t) => {
        const before = await delegate<T>(t, cfg.model).findUnique({ where: { id } });
        if (!before) throw notFound(cfg.entity, id);
        const changes = defined(args);
        const merged = { ...before, ...changes } as unknown as A & Partial<T>;
        const data = { ...changes, ...((await cfg.prepare?.(t, merged, before)) ?? {}) };
        const after = await delegate<T>(t, cfg.model).update({ where: { id }, data }).catch(codeTaken);
        await recordAudit(t, ctx, {
          action: `${cfg.entity}.updated`,
          entityType: cfg.entity,
          entityId: id,
          before,
          after,
        });
        return after;
      }),
    remove: (ctx: RequestContext, id: string) =>
      tx(ctx, async (t) => {
        const before = await delegate<T>(t, cfg.model).findUnique({ where: { id } });
        if (!before) throw notFound(cfg.entity, id);
        await delegate<T>(t, cfg.model)
          .delete({ where: { id } })
          .catch((error: { code?: string }) => {
            throw error.code === "P2003"
              ? conflict(`${cfg.entity} ${id} is still in use and cannot be deleted`)
              : error;
          });
        await cfg.stillUsed?.(t, before);
        await recordAudit(t, ctx, {
          action: `${cfg.entity}.deleted`,
          entityType: cfg.entity,
          entityId: id,
          before,
        });
        return before;
      }),
  };
}

export type ReferenceService<T extends { id: string }, A extends object> = ReturnType<
  typeof referenceService<T, A>
>;
