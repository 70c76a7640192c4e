// Builders for the message envelope: headers, acknowledgements, errors, pagination.
import { randomUUID } from "node:crypto";
import type {
  AckResponse,
  ErrorCode,
  HttpErrorResponse,
  MsgCallbackHeader,
  MsgHeader,
  MsgHeaderStatusReasonCode,
  Pagination,
  RequestStatus,
} from "./types.ts";

/** Messaging protocol version of the vendored specification. */
export const PROTOCOL_VERSION = "1.0.0";

/** The longest `status_reason_message` / error message the spec allows. */
export const MAX_REASON_MESSAGE = 999;

/** ISO-8601 timestamp with time zone (UTC), as `message_ts` and `timestamp` need. */
export function messageTimestamp(at: Date = new Date()): string {
  return at.toISOString();
}

/** A new unique `message_id` (also usable as a correlation id). */
export function newMessageId(): string {
  return randomUUID();
}

/** Cuts a reason message to the spec's 999 characters. */
export function reasonMessage(text: string): string {
  return text.length <= MAX_REASON_MESSAGE ? text : `${text.slice(0, MAX_REASON_MESSAGE - 1)}…`;
}

/** Header of a request (`MsgHeader_V1.0.0`). */
export function requestHeader(options: {
  action: string;
  senderId: string;
  totalCount: number;
  receiverId?: string;
  senderUri?: string;
  messageId?: string;
  messageTs?: string;
  meta?: Record<string, unknown>;
}): MsgHeader {
  return {
    version: PROTOCOL_VERSION,
    message_id: options.messageId ?? newMessageId(),
    message_ts: options.messageTs ?? messageTimestamp(),
    action: options.action,
    sender_id: options.senderId,
    ...(options.senderUri !== undefined ? { sender_uri: options.senderUri } : {}),
    ...(options.receiverId !== undefined ? { receiver_id: options.receiverId } : {}),
    total_count: options.totalCount,
    is_msg_encrypted: false,
    ...(options.meta ? { meta: options.meta } : {}),
  };
}

/** Header of a response or callback (`MsgCallbackHeader_V1.0.0`). */
export function callbackHeader(options: {
  action: string;
  status: RequestStatus;
  senderId: string;
  receiverId?: string;
  totalCount?: number;
  completedCount?: number;
  statusReasonCode?: MsgHeaderStatusReasonCode;
  statusReasonMessage?: string;
  messageId?: string;
  messageTs?: string;
}): MsgCallbackHeader {
  return {
    version: PROTOCOL_VERSION,
    message_id: options.messageId ?? newMessageId(),
    message_ts: options.messageTs ?? messageTimestamp(),
    action: options.action,
    status: options.status,
    ...(options.statusReasonCode ? { status_reason_code: options.statusReasonCode } : {}),
    ...(options.statusReasonMessage
      ? { status_reason_message: reasonMessage(options.statusReasonMessage) }
      : {}),
    ...(options.totalCount !== undefined ? { total_count: options.totalCount } : {}),
    ...(options.completedCount !== undefined ? { completed_count: options.completedCount } : {}),
    sender_id: options.senderId,
    ...(options.receiverId !== undefined ? { receiver_id: options.receiverId } : {}),
    is_msg_encrypted: false,
  };
}

/** The acknowledgement of an asynchronous request: ACK (a callback follows), NACK, or ERR with an error. */
export function ackResponse(
  correlationId: string,
  outcome: { status?: "ACK" | "NACK" } | { error: ErrorCode; message?: string } = {},
): AckResponse {
  const base = { timestamp: messageTimestamp(), correlation_id: correlationId };
  if ("error" in outcome) {
    return {
      message: {
        ack_status: "ERR",
        ...base,
        error: {
          code: outcome.error,
          ...(outcome.message ? { message: reasonMessage(outcome.message) } : {}),
        },
      },
    };
  }
  return { message: { ack_status: outcome.status ?? "ACK", ...base } };
}

/** A transport-level error body (`HttpErrorResponse`), e.g. for 401 and 403. */
export function httpErrorResponse(code: ErrorCode | string, message?: string): HttpErrorResponse {
  return { errors: [{ code, ...(message ? { message: reasonMessage(message) } : {}) }] };
}

/** The response's pagination block (1-based page numbers). */
export function pagination(pageSize: number, pageNumber: number, totalCount: number): Pagination {
  return { page_size: pageSize, page_number: pageNumber, total_count: totalCount };
}
