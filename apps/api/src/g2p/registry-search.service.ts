// Answers registry search messages from the registry tables. Every query runs
// in one inTenant transaction, so row-level security limits it to the
// caller's department.
import { inTenant, type Db, type TenantScope } from "@pbms/db";
import {
  callbackHeader,
  describeErrors,
  newMessageId,
  pagination,
  reasonMessage,
  searchReasonCodes,
  type MsgHeaderStatusReasonCode,
  type RegistrySearchRequestEnvelope,
  type RegistrySearchResponseEnvelope,
  type SchemaError,
  type SearchRequestItem,
  type SearchResponseItem,
  type SearchStatusReasonCode,
} from "@pbms/g2p-connect";
import { MAX_SEARCH_ITEMS } from "./config.ts";
import { buildRecord, GROUP_FIELDS, groupInclude, personInclude, RECORD_FIELDS } from "./field-map.ts";
import { planSearch, SearchRejection, whereOf, type SearchPlan } from "./query.ts";

/** `data.reg_type` when the request names none (DCI requests may omit it). */
export const DEFAULT_REG_TYPE = "ns:pbms:RegistryType:Social";
const ON_SEARCH = "on-search";

export interface SearchOutcome {
  envelope: RegistrySearchResponseEnvelope;
  /** Items answered with records (possibly none). */
  succeeded: number;
  rejected: number;
}

/** A problem with the message as a whole (header against message), or undefined. */
export function headerProblem(
  request: RegistrySearchRequestEnvelope,
): { code: MsgHeaderStatusReasonCode; message: string } | undefined {
  const { header, message } = request;
  const items = message.search_request.length;
  if (header.version !== undefined && !/^1\.0(\.\d+)?$/.test(header.version))
    return { code: "rjct.version.invalid", message: `version ${header.version} is not supported: use 1.0.0` };
  if (Number(header.total_count) !== items)
    return {
      code: "rjct.total_count.invalid",
      message: `header.total_count is ${header.total_count} but the message holds ${items} search requests`,
    };
  if (items > MAX_SEARCH_ITEMS)
    return {
      code: "rjct.total_count.limit_exceeded",
      message: `at most ${MAX_SEARCH_ITEMS} search requests per message`,
    };
  return undefined;
}

/**
 * The on-search envelope answering a valid search message: one
 * search_response item per search_request item, rejected items carrying the
 * spec's reason code.
 */
export async function answerSearch(options: {
  db: Db;
  scope: TenantScope;
  senderId: string;
  request: RegistrySearchRequestEnvelope;
  correlationId?: string;
  now?: Date;
}): Promise<SearchOutcome> {
  const { request, senderId } = options;
  const now = options.now ?? new Date();
  const total = request.message.search_request.length;
  const header = (
    status: "succ" | "rjct",
    extra: { code?: MsgHeaderStatusReasonCode; message?: string } = {},
  ) =>
    callbackHeader({
      action: ON_SEARCH,
      status,
      senderId,
      receiverId: request.header.sender_id,
      totalCount: total,
      completedCount: status === "succ" ? total : 0,
      ...(extra.code ? { statusReasonCode: extra.code } : {}),
      ...(extra.message ? { statusReasonMessage: extra.message } : {}),
    });

  const problem = headerProblem(request);
  if (problem) {
    return { envelope: { header: header("rjct", problem) }, succeeded: 0, rejected: total };
  }
  const items = await searchItems(options.db, options.scope, request.message.search_request, now);
  const rejected = items.filter((i) => i.status === "rjct").length;
  const allRejected = total > 0 && rejected === total;
  return {
    envelope: {
      header: header(
        allRejected ? "rjct" : "succ",
        allRejected ? { message: "no search request could be answered: see search_response" } : {},
      ),
      message: {
        transaction_id: request.message.transaction_id,
        correlation_id: options.correlationId ?? newMessageId(),
        search_response: items,
      },
    },
    succeeded: total - rejected,
    rejected,
  };
}

/**
 * The on-search envelope rejecting a message that does not match the spec's
 * schema: header reason code for header problems, item reason codes for
 * problems inside search_request[i]. Builds only on what is well-formed.
 */
export function rejectInvalid(
  body: unknown,
  errors: SchemaError[],
  senderId: string,
): RegistrySearchResponseEnvelope {
  const now = new Date().toISOString();
  const codes = searchReasonCodes(errors);
  const b = body as {
    header?: { sender_id?: unknown };
    message?: { transaction_id?: unknown; search_request?: unknown };
  };
  const items = Array.isArray(b.message?.search_request)
    ? (b.message.search_request as unknown[])
    : undefined;
  const receiver = typeof b.header?.sender_id === "string" ? b.header.sender_id : undefined;
  const transactionId = b.message?.transaction_id;
  return {
    header: callbackHeader({
      action: ON_SEARCH,
      status: "rjct",
      senderId,
      ...(receiver !== undefined ? { receiverId: receiver } : {}),
      totalCount: items?.length ?? 0,
      completedCount: 0,
      ...(codes.header ? { statusReasonCode: codes.header } : {}),
      statusReasonMessage: describeErrors(errors),
    }),
    ...(items && codes.items.size
      ? {
          message: {
            transaction_id:
              typeof transactionId === "string" && transactionId.length <= 99 ? transactionId : "",
            correlation_id: newMessageId(),
            search_response: items.map((item, i) => {
              const own = codes.items.get(i);
              const ref = (item as { reference_id?: unknown } | null)?.reference_id;
              return rejected(
                typeof ref === "string" ? ref : "",
                own?.code,
                own ? describeErrors(own.errors) : "not processed: the message has errors",
                now,
              );
            }),
          },
        }
      : {}),
  };
}

function rejected(
  referenceId: string,
  code: SearchStatusReasonCode | undefined,
  message: string,
  timestamp: string,
): SearchResponseItem {
  return {
    reference_id: referenceId,
    timestamp,
    status: "rjct",
    ...(code ? { status_reason_code: code } : {}),
    status_reason_message: reasonMessage(message),
  };
}

type Planned =
  { item: SearchRequestItem; plan: SearchPlan } | { item: SearchRequestItem; reject: SearchResponseItem };

async function searchItems(
  db: Db,
  scope: TenantScope,
  items: SearchRequestItem[],
  now: Date,
): Promise<SearchResponseItem[]> {
  const timestamp = now.toISOString();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const seen = new Set<string>();
  const planned: Planned[] = items.map((item) => {
    if (seen.has(item.reference_id)) {
      return {
        item,
        reject: rejected(
          item.reference_id,
          "rjct.reference_id.duplicate",
          "reference_id repeats an earlier item",
          timestamp,
        ),
      };
    }
    seen.add(item.reference_id);
    try {
      return { item, plan: planSearch(item.search_criteria) };
    } catch (error) {
      if (error instanceof SearchRejection)
        return { item, reject: rejected(item.reference_id, error.code, error.message, timestamp) };
      throw error;
    }
  });
  if (planned.every((p): p is Extract<Planned, { reject: unknown }> => "reject" in p))
    return planned.map((p) => p.reject);

  return inTenant(db, scope, async (tx) => {
    const idTypes = await tx.idType.findMany({ select: { id: true, code: true } });
    const out: SearchResponseItem[] = [];
    for (const p of planned) {
      if ("reject" in p) {
        out.push(p.reject);
        continue;
      }
      const { item, plan } = p;
      let where;
      try {
        where = whereOf(plan, idTypes, today);
      } catch (error) {
        if (!(error instanceof SearchRejection)) throw error;
        out.push(rejected(item.reference_id, error.code, error.message, timestamp));
        continue;
      }
      const page = {
        orderBy: plan.orderBy,
        skip: (plan.pageNumber - 1) * plan.pageSize,
        take: plan.pageSize,
      };
      const total = await tx.registrant.count({ where });
      const records =
        plan.kind === "GROUP"
          ? (await tx.registrant.findMany({ where, include: groupInclude(today), ...page })).map((g) =>
              buildRecord(GROUP_FIELDS, g),
            )
          : (await tx.registrant.findMany({ where, include: personInclude, ...page })).map((r) =>
              buildRecord(RECORD_FIELDS, r),
            );
      const criteria = item.search_criteria;
      const subType = criteria.reg_sub_type ?? criteria.reg_event_type;
      out.push({
        reference_id: item.reference_id,
        timestamp,
        status: "succ",
        data: {
          version: "1.0.0",
          reg_type: criteria.reg_type ?? DEFAULT_REG_TYPE,
          // Both dialects' names for the sub type (G2P Connect reg_sub_type, DCI reg_event_type).
          ...(subType !== undefined ? { reg_sub_type: subType, reg_event_type: subType } : {}),
          reg_record_type: plan.recordType,
          reg_records: records,
        },
        pagination: pagination(plan.pageSize, plan.pageNumber, total),
      });
    }
    return out;
  });
}
