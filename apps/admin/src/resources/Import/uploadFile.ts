import type { AuthSession } from "../../auth/session";
import { resolveOutputUrl } from "../Job/jobDownload";
import { isXlsxFile, XLSX_TYPE } from "./xlsxHeader";

/** The API's answer to an upload (`POST /files`). */
export interface StoredFile {
  id: string;
  fileName: string;
  byteSize: number;
  sha256: string;
}

/** An URL of the API's REST side (`/files`, `/documents/…`), next to its GraphQL endpoint. */
export function apiUrlOf(path: string, apiUrl: string): string {
  return resolveOutputUrl(path, apiUrl);
}

/** The API's error message of a refused request (JSON `{ message }` or `{ error: { message } }`), else the status. */
export async function responseErrorOf(response: Response): Promise<Error> {
  let message = `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { message?: unknown; error?: { message?: unknown } | string };
    const text =
      typeof body.message === "string"
        ? body.message
        : typeof body.error === "object" && typeof body.error?.message === "string"
          ? body.error.message
          : typeof body.error === "string"
            ? body.error
            : undefined;
    if (text) message = text;
  } catch (_error) {
    // not JSON: keep the status
  }
  return new Error(message);
}

/**
 * Sends a file as the raw request body with the bearer token: its media type as
 * `Content-Type` and its (URI-encoded) name in `X-File-Name`.
 *
 * An API whose CORS configuration does not allow the `X-File-Name` request header
 * refuses the preflight, which `fetch` reports as a network error (TypeError); the
 * file is then sent again without its name (the API names it `upload.csv` / `document`).
 */
export async function postFile(
  session: AuthSession,
  url: string,
  file: File,
  contentType: string,
): Promise<Response> {
  const send = (withName: boolean) =>
    session.fetch(url, {
      method: "POST",
      headers: {
        "content-type": contentType,
        ...(withName ? { "x-file-name": encodeURIComponent(file.name) } : {}),
      },
      body: file,
    });
  let response: Response;
  try {
    response = await send(true);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    response = await send(false);
  }
  if (!response.ok) throw await responseErrorOf(response);
  return response;
}

/** Uploads a CSV or XLSX file for an import job (`POST /files?purpose=IMPORT`). */
export async function uploadImportFile(
  session: AuthSession,
  apiUrl: string,
  file: File,
): Promise<StoredFile> {
  const contentType = isXlsxFile(file) ? XLSX_TYPE : "text/csv";
  const response = await postFile(session, apiUrlOf("/files?purpose=IMPORT", apiUrl), file, contentType);
  return (await response.json()) as StoredFile;
}
