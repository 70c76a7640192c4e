/** The job's output URL may be relative to the API (e.g. `/jobs/1/output`). */
export function resolveOutputUrl(outputUrl: string, apiUrl: string): string {
  return new URL(outputUrl, apiUrl).href;
}

/** File name from a Content-Disposition header (RFC 6266 `filename*` preferred), if any. */
export function filenameFromContentDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return sanitiseFilename(decodeURIComponent(extended[1].trim()));
    } catch (_error) {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const value = plain?.[1]?.replace(/\\(.)/g, "$1") ?? plain?.[2]?.trim();
  return value ? sanitiseFilename(value) : undefined;
}

function sanitiseFilename(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop()?.trim();
  return base ? base : undefined;
}

/** Saves a blob through a temporary object URL (the browser's download). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
