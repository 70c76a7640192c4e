import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "./logger.ts";

/** Error codes clients can rely on (`extensions.code`). */
export const ErrorCode = {
  BadUserInput: "BAD_USER_INPUT",
  Unauthenticated: "UNAUTHENTICATED",
  Forbidden: "FORBIDDEN",
  NotFound: "NOT_FOUND",
  Conflict: "CONFLICT",
  InvalidStateTransition: "INVALID_STATE_TRANSITION",
  InsufficientFunds: "INSUFFICIENT_FUNDS",
  Internal: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

/** A domain error with a stable code and, for input errors, the offending field path. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: { field?: string; [key: string]: unknown } = {}) {
    const status = HTTP_STATUS[code];
    super(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
  }
}

export const unauthenticated = (message = "Sign in first: a valid bearer token is required") =>
  new AppError(ErrorCode.Unauthenticated, message);
export const forbidden = (message = "Your roles do not allow this operation") =>
  new AppError(ErrorCode.Forbidden, message);
export const notFound = (entity: string, id: string) =>
  new AppError(ErrorCode.NotFound, `${entity} ${id} not found`);
export const badInput = (field: string, message: string) =>
  new AppError(ErrorCode.BadUserInput, message, { field });
export const conflict = (message: string) => new AppError(ErrorCode.Conflict, message);
export const invalidTransition = (entity: string, from: string, to: string) =>
  new AppError(ErrorCode.InvalidStateTransition, `${entity} cannot go from ${from} to ${to}`, { from, to });

const PASS_THROUGH = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.Internal),
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/**
 * Maps every error leaving the API to a coded, client-safe error: validation
 * errors name the field, Prisma's known errors become CONFLICT/NOT_FOUND, and
 * anything unexpected is logged and masked. Errors are recognised by shape,
 * not class, because test runners may load a library twice.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = ((error as { originalError?: unknown })?.originalError ?? error) as {
      code?: unknown;
      extensions?: { validationErrors?: ValidationLike[] };
    };
    const validationErrors = original?.extensions?.validationErrors;
    if (Array.isArray(validationErrors)) {
      const first = validationErrors[0];
      return {
        message: (first && Object.values(first.constraints ?? {})[0]) ?? "Invalid input",
        path: formatted.path,
        extensions: {
          code: ErrorCode.BadUserInput,
          field: first ? validationPath(first) : undefined,
          errors: validationErrors.map((e) => ({
            field: validationPath(e),
            messages: Object.values(e.constraints ?? {}),
          })),
        },
      };
    }
    if (typeof original?.code === "string" && /^P\d{4}$/.test(original.code)) {
      if (original.code === "P2002")
        return coded(formatted, ErrorCode.Conflict, "A record with these values already exists");
      if (original.code === "P2025") return coded(formatted, ErrorCode.NotFound, "Record not found");
    }
    const code = formatted.extensions?.code as string | undefined;
    // type-graphql's @Authorized failure: the caller is known but lacks a role.
    if (code === "UNAUTHORIZED")
      return coded(formatted, ErrorCode.Forbidden, "Your roles do not allow this operation");
    if (code && PASS_THROUGH.has(code)) {
      const { http: _http, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log.error({ err: original, path: formatted.path }, "unexpected error");
    return {
      message: "Internal server error",
      path: formatted.path,
      extensions: { code: ErrorCode.Internal },
    };
  };
}

function coded(formatted: GraphQLFormattedError, code: ErrorCode, message: string): GraphQLFormattedError {
  return { message, path: formatted.path, extensions: { code } };
}

interface ValidationLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationLike[];
}

function validationPath(e: ValidationLike): string {
  const child = e.children?.[0];
  return child ? `${e.property}.${validationPath(child)}` : e.property;
}
