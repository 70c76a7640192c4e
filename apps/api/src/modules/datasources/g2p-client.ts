// A small client of a remote G2P Connect registry: the client-credentials
// token, and one page of `POST {baseUrl}/registry/sync/search`. Every request
// is checked against the specification before it is sent, and every response
// after it is received (@pbms/g2p-connect validators); anything else fails
// with a message that says what and where. When the source verifies
// signatures, each response's `Signature` header is checked over the exact
// bytes received before anything in it is read.
import { randomUUID } from "node:crypto";
import {
  describeErrors,
  messageTimestamp,
  SignatureError,
  requestHeader,
  validateHttpError,
  validateRegistrySearchRequest,
  validateRegistrySearchResponse,
  type Dialect,
  type RegistryRecord,
  type RegistrySearchRequestEnvelope,
  type SearchCriteria,
} from "@pbms/g2p-connect";

/** Per HTTP request. */
const TIMEOUT_MS = 60_000;
/** Largest response body read. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * A failure talking to the remote registry. `retryable`: a network error,
 * timeout, 429 or 5xx, which a later attempt may not meet; otherwise the
 * configuration or the remote side must change first.
 */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

async function call(fetchImpl: FetchLike, what: string, url: string, init: RequestInit): Promise<Response> {
  try {
    // Redirects are not followed: the bearer token must not travel elsewhere.
    return await fetchImpl(url, { ...init, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new RemoteError(`${what} ${url} could not be reached: ${reason}`, true);
  }
}

async function readBody(res: Response, what: string): Promise<string> {
  return (await readBytes(res, what)).toString("utf8");
}

async function readBytes(res: Response, what: string): Promise<Buffer> {
  const length = Number(res.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES)
    throw new RemoteError(`${what}: the response is larger than ${MAX_BODY_BYTES} bytes`, false, res.status);
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new RemoteError(
        `${what}: the response is larger than ${MAX_BODY_BYTES} bytes`,
        false,
        res.status,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const retryableStatus = (status: number) => status === 429 || status >= 500;

export interface AccessToken {
  value: string;
  /** Epoch ms after which a new token is fetched. */
  refreshAt: number;
}

/** OAuth 2.0 client-credentials grant (client_secret_basic). */
export async function fetchToken(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  fetchImpl: FetchLike = fetch,
): Promise<AccessToken> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
    "base64",
  );
  const res = await call(fetchImpl, "the token endpoint", tokenUrl, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
      authorization: `Basic ${basic}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
  });
  const text = await readBody(res, "the token endpoint");
  let body: {
    access_token?: unknown;
    token_type?: unknown;
    expires_in?: unknown;
    error?: unknown;
    error_description?: unknown;
  } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // reported below
  }
  if (!res.ok) {
    const reason = [body.error, body.error_description].filter((x) => typeof x === "string").join(": ");
    throw new RemoteError(
      `the token endpoint refused the client credentials (HTTP ${res.status}${reason ? `, ${reason}` : ""})`,
      retryableStatus(res.status),
      res.status,
    );
  }
  if (typeof body.access_token !== "string" || !body.access_token)
    throw new RemoteError("the token endpoint answered without an access_token", false, res.status);
  if (typeof body.token_type === "string" && body.token_type.toLowerCase() !== "bearer")
    throw new RemoteError(`the token endpoint issued a ${body.token_type} token, not a bearer token`, false);
  const seconds = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 300;
  return { value: body.access_token, refreshAt: Date.now() + Math.max(seconds - 30, seconds / 2) * 1000 };
}

/** Reads a JSON Web Key Set (no credentials sent, no redirects followed). */
export async function fetchJwks(url: string, fetchImpl: FetchLike = fetch): Promise<unknown> {
  const what = "the registry's signing keys";
  const res = await call(fetchImpl, what, url, {
    method: "GET",
    headers: { accept: "application/jwk-set+json, application/json" },
  });
  const text = await readBody(res, what);
  if (!res.ok)
    throw new RemoteError(
      `${what} at ${url} could not be read (HTTP ${res.status})`,
      retryableStatus(res.status),
      res.status,
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new RemoteError(`${what} at ${url} are not JSON`, false, res.status);
  }
}

/**
 * Checks a response's `Signature` header over the exact body bytes; throws
 * SignatureError when they do not verify with an allowed key (or RemoteError
 * when the keys cannot be read).
 */
export type ResponseVerifier = (body: Uint8Array, signature: string | null) => Promise<unknown>;

/** The search request for one page (1-based) of the configured criteria. */
export function searchRequest(
  criteria: Record<string, unknown>,
  page: number,
  pageSize: number,
  senderId: string,
): RegistrySearchRequestEnvelope {
  return {
    header: requestHeader({ action: "search", senderId, totalCount: 1 }),
    message: {
      transaction_id: randomUUID(),
      search_request: [
        {
          reference_id: randomUUID(),
          timestamp: messageTimestamp(),
          search_criteria: {
            ...(criteria as unknown as SearchCriteria),
            pagination: { page_size: pageSize, page_number: page },
          },
        },
      ],
    },
  };
}

/** Problems of a search request under the specification ("" when valid), pointers relative to `base`. */
export function searchRequestProblems(request: unknown, base = ""): { problems: string; dialect: Dialect } {
  const v = validateRegistrySearchRequest(request);
  if (v.valid) return { problems: "", dialect: v.dialect };
  const errors = base
    ? v.errors.map((e) => ({ ...e, pointer: e.pointer.replace(base, "") || "/" }))
    : v.errors;
  return { problems: describeErrors(errors), dialect: v.dialect };
}

export interface SearchPage {
  records: RegistryRecord[];
  /** pagination.total_count of the response, when given. */
  total: number | undefined;
  /** pagination.page_size the registry applied (or the one asked for). */
  pageSize: number;
}

/**
 * Sends one search request and returns its records; throws RemoteError
 * (status 401: get a new token). With `verify`, a response that is not an
 * HTTP error must carry a valid signature, else nothing of it is returned.
 */
export async function searchPage(
  baseUrl: string,
  token: string,
  request: RegistrySearchRequestEnvelope,
  options: { fetchImpl?: FetchLike; verify?: ResponseVerifier } = {},
): Promise<SearchPage> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const { problems, dialect } = searchRequestProblems(request);
  if (problems) throw new RemoteError(`the search request is not valid G2P Connect: ${problems}`, false);
  const url = `${baseUrl}/registry/sync/search`;
  const res = await call(fetchImpl, "the registry", url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(request),
  });
  const bytes = await readBytes(res, "the registry");
  if (options.verify && (res.status === 200 || res.status === 400)) {
    const page = request.message.search_request[0]!.search_criteria.pagination?.page_number ?? 1;
    try {
      await options.verify(bytes, res.headers.get("signature"));
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      throw new RemoteError(
        `the registry's response to page ${page} failed signature verification: ${error.message}`,
        false,
        res.status,
      );
    }
  }
  const text = bytes.toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RemoteError(
      `the registry answered HTTP ${res.status} without JSON`,
      retryableStatus(res.status),
      res.status,
    );
  }
  if (res.status !== 200 && res.status !== 400) {
    const error = validateHttpError(body, dialect);
    const detail = error.valid
      ? error.value.errors.map((e) => [e.code, e.message].filter(Boolean).join(": ")).join("; ")
      : "";
    throw new RemoteError(
      `the registry refused the search (HTTP ${res.status}${detail ? `, ${detail}` : ""})`,
      retryableStatus(res.status),
      res.status,
    );
  }
  const checked = validateRegistrySearchResponse(body, dialect);
  if (!checked.valid)
    throw new RemoteError(
      `the registry's response is not valid G2P Connect (${dialect}): ${describeErrors(checked.errors)}`,
      false,
      res.status,
    );
  const { header, message } = checked.value;
  if (header.action !== "on-search")
    throw new RemoteError(`the registry answered action "${header.action}" instead of "on-search"`, false);
  const item = message?.search_response.find(
    (i) => i.reference_id === request.message.search_request[0]!.reference_id,
  );
  if (header.status === "rjct" || item?.status === "rjct") {
    const code = item?.status_reason_code ?? header.status_reason_code ?? "rjct";
    const why = item?.status_reason_message ?? header.status_reason_message;
    throw new RemoteError(
      `the registry rejected the search: ${code}${why ? ` (${why})` : ""}`,
      false,
      res.status,
    );
  }
  if (!message || message.transaction_id !== request.message.transaction_id)
    throw new RemoteError("the registry's response is for another transaction_id", false);
  if (!item)
    throw new RemoteError("the registry's response has no search_response for our reference_id", false);
  if (item.status !== "succ")
    throw new RemoteError(
      `the registry has not answered the search (status ${item.status})`,
      item.status === "pdng" || item.status === "rcvd",
    );
  const records = item.data?.reg_records ?? [];
  if (!Array.isArray(records)) throw new RemoteError("data.reg_records is not a list of records", false);
  const asked = request.message.search_request[0]!.search_criteria.pagination!;
  return {
    records,
    total: item.pagination?.total_count,
    pageSize: item.pagination?.page_size ?? asked.page_size,
  };
}
