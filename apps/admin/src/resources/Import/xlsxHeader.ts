/**
 * The header row of an XLSX workbook, read in the browser so its columns can be
 * mapped before the upload. Only what the header needs is read from the file: the
 * zip's directory, the workbook, the start of the first visible worksheet and of
 * the shared strings; a large workbook is never loaded whole. The API converts the
 * whole sheet with the same rules (apps/api/src/modules/imports/xlsx.ts): the
 * header is the first row with a value.
 */

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Whether a picked file is an XLSX workbook (by its type, or its name when the browser gives no type). */
export function isXlsxFile(file: { name: string; type: string }): boolean {
  return file.type === XLSX_TYPE || /\.xlsx$/i.test(file.name);
}

/** Column names of the first visible worksheet's header row (trimmed, empty ones left out). */
export async function readXlsxHeader(file: Blob): Promise<string[]> {
  const zip = await zipDirectory(file);
  const part = (name: string) => zip.get(name.toLowerCase());
  const rootRels = await relationships(file, zip, "");
  const workbookPath = rootRels.find((r) => r.type.endsWith("/officeDocument"))?.target ?? "xl/workbook.xml";
  const workbookEntry = part(workbookPath);
  if (!workbookEntry) throw new Error("not an XLSX workbook");
  const workbook = await wholeText(file, workbookEntry);
  const rels = await relationships(file, zip, workbookPath);
  const sheets = [...workbook.matchAll(element("sheet"))]
    .map((m) => attributes(m[1] ?? ""))
    .map((a) => ({
      hidden: a.state === "hidden" || a.state === "veryHidden",
      rel: rels.find((r) => r.id === Object.entries(a).find(([k]) => k.endsWith(":id"))?.[1]),
    }))
    .filter((s) => s.rel?.type.endsWith("/worksheet"));
  const sheet = (sheets.find((s) => !s.hidden) ?? sheets[0])?.rel;
  const sheetEntry = sheet && part(sheet.target);
  if (!sheetEntry) throw new Error("the workbook has no worksheet");

  const cells = await firstRow(file, sheetEntry);
  const wanted = cells.filter((c) => c.type === "s").map((c) => Number(c.value));
  const stringsPath = rels.find((r) => r.type.endsWith("/sharedStrings"))?.target;
  const stringsEntry = stringsPath ? part(stringsPath) : undefined;
  const strings =
    wanted.length && stringsEntry ? await sharedStrings(file, stringsEntry, Math.max(...wanted)) : [];
  const names: string[] = [];
  for (const cell of cells)
    names[cell.column] = cell.type === "s" ? (strings[Number(cell.value)] ?? "") : cell.value;
  return Array.from(names, (name) => (name ?? "").trim()).filter((name) => name !== "");
}

// ---------------------------------------------------------------------------
// The zip

interface ZipEntry {
  method: number;
  compressedSize: number;
  offset: number;
}

async function view(file: Blob, start: number, end: number): Promise<DataView> {
  return new DataView(await file.slice(start, end).arrayBuffer());
}

/** The central directory: entries by lower-case name (part names are case-insensitive). */
async function zipDirectory(file: Blob): Promise<Map<string, ZipEntry>> {
  const tailStart = Math.max(0, file.size - (0xffff + 22));
  const tail = await view(file, tailStart, file.size);
  let end = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (tail.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a zip file");
  let size = tail.getUint32(end + 12, true);
  let offset = tail.getUint32(end + 16, true);
  if (offset === 0xffffffff || size === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || tail.getUint32(locator, true) !== 0x07064b50) throw new Error("bad ZIP64 directory");
    const at = Number(tail.getBigUint64(locator + 8, true));
    const record = await view(file, at, at + 56);
    size = Number(record.getBigUint64(40, true));
    offset = Number(record.getBigUint64(48, true));
  }
  const directory = await view(file, offset, offset + size);
  const names = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  for (let p = 0; p + 46 <= directory.byteLength && directory.getUint32(p, true) === 0x02014b50;) {
    const nameLength = directory.getUint16(p + 28, true);
    const extraLength = directory.getUint16(p + 30, true);
    const commentLength = directory.getUint16(p + 32, true);
    const name = names.decode(new Uint8Array(directory.buffer, p + 46, nameLength));
    const entry = {
      method: directory.getUint16(p + 10, true),
      compressedSize: directory.getUint32(p + 20, true),
      offset: directory.getUint32(p + 42, true),
    };
    // ZIP64 sizes and offsets are in the extra field, in this order, when the header's are all ones.
    const uncompressed = directory.getUint32(p + 24, true);
    for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength;) {
      const id = directory.getUint16(x, true);
      const length = directory.getUint16(x + 2, true);
      if (id === 0x0001) {
        let field = x + 4;
        const next = () => Number(directory.getBigUint64((field += 8) - 8, true));
        if (uncompressed === 0xffffffff) next();
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
        if (entry.offset === 0xffffffff) entry.offset = next();
      }
      x += 4 + length;
    }
    entries.set(name.replace(/\\/g, "/").toLowerCase(), entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** An entry's text, decompressed as it is read; stops reading when the caller stops. */
async function* entryText(file: Blob, entry: ZipEntry): AsyncGenerator<string> {
  const local = await view(file, entry.offset, entry.offset + 30);
  if (local.getUint32(0, true) !== 0x04034b50) throw new Error("damaged zip file");
  const start = entry.offset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  const raw = file.slice(start, start + entry.compressedSize).stream();
  if (entry.method !== 0 && entry.method !== 8) throw new Error("unsupported zip compression");
  const bytes = entry.method === 8 ? raw.pipeThrough(new DecompressionStream("deflate-raw")) : raw;
  const reader = bytes.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function wholeText(file: Blob, entry: ZipEntry): Promise<string> {
  let text = "";
  for await (const chunk of entryText(file, entry)) text += chunk;
  return text;
}

// ---------------------------------------------------------------------------
// The XML, as far as the header needs it

/** `<name …/>` or `<name …>…</name>`, with any namespace prefix: attributes in [1], content in [2]. */
function element(name: string): RegExp {
  return new RegExp(`<(?:[\\w.-]+:)?${name}\\b([^>]*?)(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>)`, "g");
}

function attributes(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    result[m[1] as string] = decodeXml(m[2] ?? m[3] ?? "");
  return result;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name: string) =>
    name.startsWith("#x")
      ? String.fromCodePoint(parseInt(name.slice(2), 16))
      : name.startsWith("#")
        ? String.fromCodePoint(Number(name.slice(1)))
        : (ENTITIES[name] ?? whole),
  );
}

/** The text of a string item (`<si>`, `<is>`): its runs without phonetic ones, with `_xHHHH_` escapes decoded. */
function stringItem(content: string): string {
  const runs = content.replace(element("rPh"), "");
  return [...runs.matchAll(element("t"))]
    .map((m) => decodeXml(m[2] ?? ""))
    .join("")
    .replace(/_x([0-9a-fA-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

async function relationships(file: Blob, zip: Map<string, ZipEntry>, part: string): Promise<Relationship[]> {
  const slash = part.lastIndexOf("/");
  const dir = part.slice(0, slash + 1);
  const entry = zip.get(`${dir}_rels/${part.slice(slash + 1)}.rels`.toLowerCase());
  if (!entry) return [];
  return [...(await wholeText(file, entry)).matchAll(element("Relationship"))]
    .map((m) => attributes(m[1] ?? ""))
    .filter((a) => a.Id && a.Type && a.Target && a.TargetMode !== "External")
    .map((a) => ({ id: a.Id as string, type: a.Type as string, target: resolve(dir, a.Target as string) }));
}

/** A relationship target as a part name, relative to the folder of the part that names it. */
function resolve(dir: string, target: string): string {
  const parts: string[] = [];
  for (const segment of (target.startsWith("/") ? target : dir + target).split("/")) {
    if (segment === "..") parts.pop();
    else if (segment && segment !== ".") parts.push(segment);
  }
  return parts.join("/");
}

interface HeaderCell {
  column: number;
  type: string;
  value: string;
}

/** Bytes of worksheet text read, at most, before giving up on finding a header row. */
const MAX_SCAN = 16 * 1024 * 1024;

/** The cells with a value of the worksheet's first row that has one. */
async function firstRow(file: Blob, entry: ZipEntry): Promise<HeaderCell[]> {
  const rows = element("row");
  let buffer = "";
  let scanned = 0;
  for await (const chunk of entryText(file, entry)) {
    buffer += chunk;
    scanned += chunk.length;
    rows.lastIndex = 0;
    let consumed = 0;
    for (let m = rows.exec(buffer); m; m = rows.exec(buffer)) {
      consumed = rows.lastIndex;
      const cells = rowCells(m[2] ?? "");
      if (cells.length) return cells;
    }
    buffer = buffer.slice(consumed);
    if (/<\/(?:[\w.-]+:)?sheetData>/.test(buffer) || scanned > MAX_SCAN) break;
  }
  return [];
}

function rowCells(row: string): HeaderCell[] {
  const cells: HeaderCell[] = [];
  let next = 0;
  for (const m of row.matchAll(element("c"))) {
    const a = attributes(m[1] ?? "");
    const column = a.r ? columnIndex(a.r) : next;
    next = column + 1;
    const content = m[2] ?? "";
    const type = a.t ?? "n";
    const v = decodeXml(element("v").exec(content)?.[2] ?? "");
    const value =
      type === "inlineStr"
        ? stringItem(element("is").exec(content)?.[2] ?? "")
        : type === "b"
          ? v === ""
            ? ""
            : v === "1" || v === "true"
              ? "true"
              : "false"
          : v;
    if (value !== "") cells.push({ column, type, value });
  }
  return cells;
}

function columnIndex(reference: string): number {
  const letters = /^[A-Za-z]+/.exec(reference)?.[0] ?? "";
  let column = 0;
  for (const letter of letters.toUpperCase()) column = column * 26 + letter.charCodeAt(0) - 64;
  return column - 1;
}

/** The shared strings up to index `last` (the rest of the table is not read). */
async function sharedStrings(file: Blob, entry: ZipEntry, last: number): Promise<string[]> {
  const items = element("si");
  const strings: string[] = [];
  let buffer = "";
  for await (const chunk of entryText(file, entry)) {
    buffer += chunk;
    items.lastIndex = 0;
    let consumed = 0;
    for (let m = items.exec(buffer); m; m = items.exec(buffer)) {
      consumed = items.lastIndex;
      strings.push(stringItem(m[2] ?? ""));
      if (strings.length > last) return strings;
    }
    buffer = buffer.slice(consumed);
  }
  return strings;
}
