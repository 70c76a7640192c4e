/** Document types the API accepts for `POST /registrants/{id}/documents?type=…`. */
export const documentTypes = ["ID_CARD", "BIRTH_CERTIFICATE", "PHOTO", "PROOF_OF_ADDRESS", "OTHER"] as const;

/** Files a document may be (the API's allowed media types). */
export const DOCUMENT_ACCEPT = "application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp";

/** `1536` → `1.5 KB` (binary units, one decimal). */
export function formatByteSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1).replace(/\.0$/, "")} ${units[unit]}`;
}
