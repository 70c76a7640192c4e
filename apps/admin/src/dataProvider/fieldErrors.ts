import { HttpError } from "react-admin";

/** The parts of a GraphQL error (as Apollo hands them over) that name the offending input. */
export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/** Errors the API ties to an argument path (`extensions.field`, `extensions.errors`). */
const FIELD_ERROR_STATUS: Readonly<Record<string, number>> = { BAD_USER_INPUT: 400, CONFLICT: 409 };

export interface FieldErrorOptions {
  /**
   * Path prefix of the arguments that the form does not have: domain mutations take one
   * `input` object, so `input.individualId` is the form's `individualId`.
   */
  stripPrefix?: string;
}

function stripped(field: string, prefix: string | undefined): string {
  return prefix && field.startsWith(`${prefix}.`) ? field.slice(prefix.length + 1) : field;
}

/**
 * Form field errors from the API's GraphQL errors, keyed by the argument path, which is
 * the form's field path: `{ "identifiers.0.value": "National ID has a wrong check digit" }`.
 * Validation errors listing several fields (`extensions.errors: [{ field, messages }]`)
 * give one entry per field; other errors (forbidden, not found…) none.
 */
export function fieldErrorsOf(
  errors: readonly GraphQLErrorLike[] | undefined,
  options: FieldErrorOptions = {},
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of errors ?? []) {
    const extensions = error.extensions ?? {};
    if (typeof extensions.code !== "string" || !(extensions.code in FIELD_ERROR_STATUS)) continue;
    const listed = Array.isArray(extensions.errors) ? (extensions.errors as unknown[]) : [];
    for (const item of listed) {
      if (!item || typeof item !== "object") continue;
      const { field, messages } = item as { field?: unknown; messages?: unknown };
      if (typeof field !== "string" || field === "") continue;
      const text = Array.isArray(messages)
        ? messages.filter((m): m is string => typeof m === "string").join(" ")
        : "";
      const key = stripped(field, options.stripPrefix);
      if (result[key] === undefined) result[key] = text || error.message;
    }
    if (typeof extensions.field === "string" && extensions.field !== "") {
      const key = stripped(extensions.field, options.stripPrefix);
      if (result[key] === undefined) result[key] = error.message;
    }
  }
  return result;
}

function graphQLErrorsOf(error: unknown): readonly GraphQLErrorLike[] | undefined {
  if (!error || typeof error !== "object") return undefined;
  // An ApolloError itself, or ra-data-graphql's HttpError with the ApolloError as its body.
  const candidates = [error, (error as { body?: unknown }).body];
  for (const candidate of candidates) {
    const list = (candidate as { graphQLErrors?: unknown } | undefined)?.graphQLErrors;
    if (Array.isArray(list) && list.length > 0) return list as GraphQLErrorLike[];
  }
  return undefined;
}

/**
 * The error react-admin's forms understand: an `HttpError` whose `body.errors` maps form
 * field paths to messages (react-admin sets them on the inputs) plus `root.serverError`,
 * which the form shows as its notification, so the message is seen even when no input
 * has that path (e.g. `version`). Errors without field paths are returned unchanged.
 */
export function toFieldErrorHttpError(error: unknown, options: FieldErrorOptions = {}): unknown {
  const graphQLErrors = graphQLErrorsOf(error);
  const errors = fieldErrorsOf(graphQLErrors, options);
  const fields = Object.keys(errors);
  if (!graphQLErrors || fields.length === 0) return error;
  const first = graphQLErrors.find((e) => typeof e.extensions?.code === "string") ?? graphQLErrors[0];
  const message = first?.message ?? errors[fields[0] as string] ?? "";
  const code = String(first?.extensions?.code ?? "");
  return new HttpError(message, FIELD_ERROR_STATUS[code] ?? 400, {
    errors: { ...errors, root: { serverError: message } },
    graphQLErrors,
  });
}

/** Field errors of a failed mutation, for forms that call the API themselves (`<Form onSubmit>`). */
export function submissionErrorsOf(
  error: unknown,
  options: FieldErrorOptions = {},
): Record<string, unknown> | undefined {
  const converted = toFieldErrorHttpError(error, options);
  if (converted instanceof HttpError && converted.body?.errors) {
    return converted.body.errors as Record<string, unknown>;
  }
  return undefined;
}
