// XLSX workbooks for the registry import: the first visible worksheet is turned
// into the same CSV a registrar would upload (RFC 4180, UTF-8, the header row
// first), so one import path (COPY … FORMAT csv) serves both kinds of file.
//
// Libraries: an XLSX file is a zip of XML parts.
// - yauzl reads the zip. Its central directory sits at the end of the file and
//   writers (Excel among them) store the worksheets *before* the shared strings
//   and styles they need, so a reader working from the start of a stream would
//   have to buffer the sheet; yauzl reads by random access instead, which is
//   also the only spec-conformant way. Stored files arrive as streams (from
//   local disk or object storage alike), so the workbook is first copied to a
//   temporary file, removed when the conversion ends. One small dependency (pend).
// - saxes parses the XML as a stream of events (a strict XML 1.0 parser, the one
//   jsdom uses; one small dependency, xmlchars), so the sheet is never in memory.
// A full spreadsheet library with a streaming reader (exceljs' WorkbookReader)
// was not chosen: it installs some 190 packages (archiver, jszip, unzipper,
// fast-csv, dayjs…) for writing, styling and formulas the import does not need.
//
// Memory: the shared-strings table (every distinct text of the workbook) and
// the styles are held in memory, as every XLSX reader does; the worksheet is
// streamed row by row, and the output chunks follow the consumer's pace.
//
// Values: text as written (shared strings, inline strings including rich text,
// formula results); numbers as stored, in plain decimal notation, with binary
// floating-point noise beyond Excel's 15 significant digits rounded away
// (0.30000000000000004 → 0.3); cells with a date or time number format as
// YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or HH:MM:SS; booleans as true/false; error
// values (#N/A) as their text. Each cell lands in the column its reference
// (C7) names, so missing cells leave empty fields. The header is the first row
// with a value and sets the width: cells right of its last named column are
// dropped. Blank rows between data rows are kept as empty records, so a line
// number of the import's error report is the sheet's row number (with the
// header in row 1); blank rows at the end are dropped.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import yauzl from "yauzl";
import type { Storage } from "../../storage/storage.ts";
import { JobFailure } from "../jobs/job.registry.ts";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The file is not a workbook this reader can convert (the message says why, for the registrar). */
export class WorkbookError extends Error {}

export interface XlsxOptions {
  /** Where the workbook is copied for random access (default: the OS's temporary directory). */
  tmpDir?: string;
}

/**
 * CSV of the first visible worksheet of an XLSX workbook (see the top of this
 * file for how values are rendered). Errors, including {@link WorkbookError}
 * for files that are not usable workbooks, are emitted by the returned stream.
 */
export function xlsxToCsv(xlsx: Readable, options: XlsxOptions = {}): Readable {
  return Readable.from(convert(xlsx, options), { objectMode: false });
}

/** What the import knows of a stored file. */
export interface TabularFile {
  storageKey: string;
  fileName: string;
  contentType: string;
}

/**
 * The stored file as CSV: XLSX workbooks are converted, CSV passes through.
 * The file's first bytes decide (an XLSX file is a zip: `PK\x03\x04`; no CSV
 * starts with those control characters), so a workbook uploaded as text/csv
 * still imports; the name and content type only sharpen the error message of
 * a file that claims to be a workbook and is not one. Unusable workbooks fail
 * the job at once (JobFailure), without retries.
 */
export function openTabular(storage: Pick<Storage, "get">, file: TabularFile, options: XlsxOptions = {}) {
  async function* tabular(): AsyncGenerator<Buffer> {
    const source = storage.get(file.storageKey);
    try {
      const { head, content } = await splitHead(source, 8);
      if (head.subarray(0, 4).equals(ZIP_MAGIC)) {
        yield* convert(content, options);
        return;
      }
      if (head.equals(CFB_MAGIC))
        throw new WorkbookError(
          "This is an Excel 97–2003 (.xls) or password-protected workbook: save it as .xlsx without a password, or as CSV",
        );
      if (claimsXlsx(file)) throw new WorkbookError("This file is not an XLSX workbook");
      yield* content;
    } catch (error) {
      throw error instanceof WorkbookError ? new JobFailure(error.message) : error;
    } finally {
      source.destroy();
    }
  }
  return Readable.from(tabular(), { objectMode: false });
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function claimsXlsx(file: Pick<TabularFile, "fileName" | "contentType">): boolean {
  return /\.xlsx$/i.test(file.fileName) || file.contentType.split(";")[0]?.trim() === XLSX_CONTENT_TYPE;
}

/** The stream's first `n` bytes (fewer if it is shorter), and a stream of all its bytes. */
async function splitHead(stream: Readable, n: number): Promise<{ head: Buffer; content: Readable }> {
  const chunks = stream[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const next = await chunks.next();
    if (next.done) break;
    first.push(next.value as Buffer);
    length += (next.value as Buffer).length;
  }
  async function* all() {
    yield* first;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
  }
  return { head: Buffer.concat(first).subarray(0, n), content: Readable.from(all(), { objectMode: false }) };
}

// ---------------------------------------------------------------------------
// The workbook

/** The largest shared-strings part read (into memory): a guard against zip bombs. */
const SHARED_STRINGS_MAX_BYTES = 512 * 1024 * 1024;

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
const STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships/";

async function* convert(source: Readable, options: XlsxOptions): AsyncGenerator<Buffer> {
  const local = await localFile(source, options.tmpDir);
  try {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(local.path, { lazyEntries: true, autoClose: false });
    } catch (error) {
      throw new WorkbookError(`This file is not a readable XLSX workbook (${(error as Error).message})`);
    }
    try {
      yield* new Workbook(zip).csv();
    } finally {
      zip.close();
    }
  } finally {
    await local.remove();
  }
}

/** A temporary copy of the stream's bytes, for random access. */
async function localFile(source: Readable, tmpDir = tmpdir()) {
  const dir = await mkdtemp(join(tmpDir, "pbms-xlsx-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, "workbook.xlsx");
  try {
    await pipeline(source, createWriteStream(path, { flags: "wx" }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}

interface Relationship {
  type: string;
  target: string;
}

class Workbook {
  /** Entries by lower-case part name (part names are case-insensitive). */
  private entries = new Map<string, yauzl.Entry>();

  constructor(private zip: yauzl.ZipFile) {}

  async *csv(): AsyncGenerator<Buffer> {
    for await (const entry of this.zip.eachEntry()) this.entries.set(entry.fileName.toLowerCase(), entry);
    const root = await this.relationships("");
    const workbookPath =
      [...root.values()].find((r) => isRelType(r.type, "officeDocument"))?.target ?? "xl/workbook.xml";
    if (this.entries.has("mimetype") && this.entries.has("content.xml"))
      throw new WorkbookError("This is an OpenDocument spreadsheet (.ods): save it as .xlsx or CSV");
    if (/\.bin$/i.test(workbookPath))
      throw new WorkbookError("This is a binary Excel workbook (.xlsb): save it as .xlsx or CSV");
    if (!this.entries.has(workbookPath.toLowerCase()))
      throw new WorkbookError("This file is a zip archive but not an XLSX workbook");
    const workbook = await this.workbook(workbookPath);
    const rels = await this.relationships(workbookPath);
    const sheets = workbook.sheets
      .map((s) => ({ ...s, rel: rels.get(s.relId) }))
      .filter((s) => s.rel && isRelType(s.rel.type, "worksheet"));
    const sheet = sheets.find((s) => !s.hidden) ?? sheets[0];
    if (!sheet?.rel) throw new WorkbookError("The workbook has no worksheet");
    const find = (type: string) => [...rels.values()].find((r) => isRelType(r.type, type))?.target;
    const stylesPath = find("styles");
    const stringsPath = find("sharedStrings");
    const dates = stylesPath ? await this.dateStyles(stylesPath) : new Map<number, DateKind>();
    const strings = stringsPath ? await this.sharedStrings(stringsPath) : [];
    yield* this.sheet(sheet.rel.target, { strings, dates, date1904: workbook.date1904 });
  }

  private async open(path: string): Promise<Readable | undefined> {
    const entry = this.entries.get(path.toLowerCase());
    if (!entry) return undefined;
    if (entry.isEncrypted()) throw new WorkbookError("The workbook is encrypted");
    return this.zip.openReadStreamPromise(entry);
  }

  /** Runs a SAX parser over a part; returns false when the part does not exist. */
  private async parse(
    path: string,
    handlers: {
      open?(tag: SaxesTagPlain, local: string): void;
      close?(local: string): void;
      text?(text: string): void;
    },
  ): Promise<boolean> {
    const stream = await this.open(path);
    if (!stream) return false;
    const parser = xmlParser(handlers);
    const decoder = new StringDecoder("utf8");
    try {
      for await (const chunk of stream) parser.write(decoder.write(chunk as Buffer));
      parser.write(decoder.end()).close();
    } catch (error) {
      throw asWorkbookError(error, path);
    }
    return true;
  }

  /** Relationships of a part, by id (the package's own for ""). */
  private async relationships(part: string): Promise<Map<string, Relationship>> {
    const relsPath = posix.join(posix.dirname(part), "_rels", `${posix.basename(part)}.rels`);
    const rels = new Map<string, Relationship>();
    await this.parse(relsPath, {
      open(tag, local) {
        const { Id, Type, Target, TargetMode } = tag.attributes;
        if (local === "Relationship" && Id && Type && Target && TargetMode !== "External")
          rels.set(Id, { type: Type, target: resolvePart(part, Target) });
      },
    });
    return rels;
  }

  private async workbook(path: string) {
    const sheets: { relId: string; hidden: boolean }[] = [];
    let date1904 = false;
    await this.parse(path, {
      open(tag, local) {
        if (local === "workbookPr") date1904 = isTrue(tag.attributes.date1904);
        if (local === "sheet") {
          const relId = Object.entries(tag.attributes).find(([name]) => name.endsWith(":id"))?.[1];
          const state = tag.attributes.state;
          if (relId) sheets.push({ relId, hidden: state === "hidden" || state === "veryHidden" });
        }
      },
    });
    return { sheets, date1904 };
  }

  /** Which cell styles (indexes of `cellXfs`) show numbers as dates or times. */
  private async dateStyles(path: string): Promise<Map<number, DateKind>> {
    const formats = new Map<number, string>();
    const styles: number[] = [];
    let inCellXfs = false;
    await this.parse(path, {
      open(tag, local) {
        const a = tag.attributes;
        if (local === "numFmt" && a.numFmtId && a.formatCode !== undefined)
          formats.set(Number(a.numFmtId), a.formatCode);
        else if (local === "cellXfs") inCellXfs = true;
        else if (local === "xf" && inCellXfs) styles.push(Number(a.numFmtId ?? 0));
      },
      close(local) {
        if (local === "cellXfs") inCellXfs = false;
      },
    });
    const dates = new Map<number, DateKind>();
    styles.forEach((id, index) => {
      const code = formats.get(id);
      const kind = code !== undefined ? formatKind(code) : BUILT_IN_DATE_FORMATS.get(id);
      if (kind) dates.set(index, kind);
    });
    return dates;
  }

  /** The shared-strings table (held in memory). */
  private async sharedStrings(path: string): Promise<string[]> {
    if ((this.entries.get(path.toLowerCase())?.uncompressedSize ?? 0) > SHARED_STRINGS_MAX_BYTES)
      throw new WorkbookError("The workbook has too many distinct texts to be imported at once: split it");
    const strings: string[] = [];
    let text = "";
    let inText = false;
    let phonetic = 0;
    await this.parse(path, {
      open(_tag, local) {
        if (local === "si") text = "";
        else if (local === "rPh") phonetic++;
        else if (local === "t" && phonetic === 0) inText = true;
      },
      close(local) {
        if (local === "si") strings.push(unescapeXstring(text));
        else if (local === "rPh") phonetic--;
        else if (local === "t") inText = false;
      },
      text(t) {
        if (inText) text += t;
      },
    });
    return strings;
  }

  /** Streams the worksheet's rows as CSV, one chunk per parsed piece of the sheet. */
  private async *sheet(path: string, context: SheetContext): AsyncGenerator<Buffer> {
    const stream = await this.open(path);
    if (!stream) throw new WorkbookError(`The workbook has no part ${path}`);
    const rows = new SheetRows(context);
    const parser = xmlParser(rows);
    const decoder = new StringDecoder("utf8");
    try {
      for await (const chunk of stream) {
        try {
          parser.write(decoder.write(chunk as Buffer));
        } catch (error) {
          if (!rows.finished) throw error;
        }
        if (rows.output.length) yield rows.take();
        // Whatever follows the cells (merged ranges, conditional formats…) is not needed.
        if (rows.finished) break;
      }
      if (!rows.finished) parser.write(decoder.end()).close();
    } catch (error) {
      throw asWorkbookError(error, path);
    } finally {
      stream.destroy();
    }
    if (rows.output.length) yield rows.take();
    if (!rows.started) throw new WorkbookError("The first worksheet is empty");
  }
}

type PlainOptions = { xmlns: false; position: false };

function xmlParser(handlers: {
  open?(tag: SaxesTagPlain, local: string): void;
  close?(local: string): void;
  text?(text: string): void;
}): SaxesParser<PlainOptions> {
  const parser = new SaxesParser<PlainOptions>({ xmlns: false, position: false });
  const { open, close, text } = handlers;
  if (open) parser.on("opentag", (tag) => open.call(handlers, tag, localName(tag.name)));
  if (close) parser.on("closetag", (tag) => close.call(handlers, localName(tag.name)));
  if (text) {
    parser.on("text", (t) => text.call(handlers, t));
    parser.on("cdata", (t) => text.call(handlers, t));
  }
  return parser;
}

function asWorkbookError(error: unknown, path: string): Error {
  if (error instanceof WorkbookError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // saxes' errors are the XML's; zlib's and yauzl's say the archive is damaged.
  return new WorkbookError(`The workbook part ${path} cannot be read: ${message}`);
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

function isRelType(type: string, name: string): boolean {
  return type === REL + name || type === STRICT_REL + name;
}

function isTrue(value: string | undefined): boolean {
  return value === "1" || value === "true";
}

/** A relationship target as a part name (no leading slash), relative to the part that names it. */
function resolvePart(source: string, target: string): string {
  const path = target.startsWith("/") ? target : posix.join(posix.dirname(source), target);
  return posix.normalize(path).replace(/^\/+/, "");
}

// ---------------------------------------------------------------------------
// The worksheet

type DateKind = "date" | "datetime" | "time";

interface SheetContext {
  strings: string[];
  dates: Map<number, DateKind>;
  date1904: boolean;
}

/** Built-in number formats (ECMA-376 §18.8.30, and East Asian locales) that show dates or times. */
const BUILT_IN_DATE_FORMATS = new Map<number, DateKind>([
  ...[14, 15, 16, 17, 27, 28, 29, 30, 31, 36, 50, 51, 54, 57, 58].map((id) => [id, "date"] as const),
  [22, "datetime"],
  ...[18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 52, 53, 55, 56].map((id) => [id, "time"] as const),
]);

/** Whether a number format code shows a date, a date and time, a time, or neither. */
export function formatKind(code: string): DateKind | undefined {
  let tokens = code
    .replace(/"[^"]*"/g, "") // literal text
    .replace(/\\./g, "") // escaped characters
    .replace(/[_*]./g, ""); // spacing and fill characters
  tokens = tokens.split(";")[0] ?? ""; // the format of positive numbers
  const elapsed = /\[(h+|m+|s+)\]/i.test(tokens);
  tokens = tokens.replace(/\[[^\]]*\]/g, "").replace(/AM\/PM|A\/P/gi, "");
  const time = elapsed || /[hs]/i.test(tokens);
  const date = /[dy]/i.test(tokens) || (/m/i.test(tokens) && !time);
  return date ? (time ? "datetime" : "date") : time ? "time" : undefined;
}

/** Turns sheet XML events into CSV records. */
class SheetRows {
  output: string[] = [];
  /** The header row has been found. */
  started = false;
  /** The cells have all been read (`</sheetData>`). */
  finished = false;
  private width = 0;
  /** Row number of the last record written. */
  private lastRow = 0;
  private rowNumber = 0;
  private cells: string[] = [];
  private nextColumn = 0;
  private cell: { column: number; type: string; style: number } | undefined;
  private value = "";
  private inlineText = "";
  private capture: "v" | "t" | undefined;
  private inInline = false;
  private phonetic = 0;

  constructor(private context: SheetContext) {}

  take(): Buffer {
    const chunk = Buffer.from(this.output.join(""));
    this.output = [];
    return chunk;
  }

  open(tag: SaxesTagPlain, local: string): void {
    if (this.finished) return;
    switch (local) {
      case "row": {
        const r = tag.attributes.r;
        this.rowNumber = r ? Number(r) : this.rowNumber + 1;
        this.cells = [];
        this.nextColumn = 0;
        break;
      }
      case "c": {
        const r = tag.attributes.r;
        const column = r ? columnIndex(r) : this.nextColumn;
        this.cell = { column, type: tag.attributes.t ?? "n", style: Number(tag.attributes.s ?? 0) };
        this.value = "";
        this.inlineText = "";
        break;
      }
      case "v":
        if (this.cell) this.capture = "v";
        break;
      case "is":
        this.inInline = true;
        break;
      case "rPh":
        this.phonetic++;
        break;
      case "t":
        if (this.inInline && this.phonetic === 0) this.capture = "t";
        break;
    }
  }

  text(text: string): void {
    if (this.capture === "v") this.value += text;
    else if (this.capture === "t") this.inlineText += text;
  }

  close(local: string): void {
    if (this.finished) return;
    switch (local) {
      case "v":
      case "t":
        this.capture = undefined;
        break;
      case "is":
        this.inInline = false;
        break;
      case "rPh":
        this.phonetic--;
        break;
      case "c":
        if (this.cell) {
          const text = this.render(this.cell);
          if (text !== "") this.cells[this.cell.column] = text;
          this.nextColumn = this.cell.column + 1;
          this.cell = undefined;
        }
        break;
      case "row":
        this.endRow();
        break;
      case "sheetData":
        this.finished = true;
        break;
    }
  }

  private render(cell: { type: string; style: number }): string {
    const value = this.value;
    switch (cell.type) {
      case "s": {
        const text = this.context.strings[Number(value)];
        if (value === "" || text === undefined) return "";
        return text;
      }
      case "inlineStr":
        return unescapeXstring(this.inlineText);
      case "str":
        return unescapeXstring(value);
      case "b":
        return value === "" ? "" : isTrue(value) ? "true" : "false";
      case "e":
        return value;
      case "d":
        return isoDate(value);
      default: {
        if (value === "") return "";
        const kind = this.context.dates.get(cell.style);
        return kind ? serialDate(value, kind, this.context.date1904) : plainNumber(value);
      }
    }
  }

  private endRow(): void {
    const cells = this.cells;
    if (!this.started) {
      if (cells.length === 0) return;
      this.started = true;
      this.width = cells.length; // sparse arrays: one past the last cell with a value
      this.lastRow = this.rowNumber;
      this.output.push(record(cells, this.width));
      return;
    }
    if (!cells.slice(0, this.width).some((c) => c !== undefined)) return;
    for (let r = this.lastRow + 1; r < this.rowNumber; r++) this.output.push(record([], this.width));
    this.lastRow = Math.max(this.lastRow, this.rowNumber);
    this.output.push(record(cells, this.width));
  }
}

/** Zero-based column of a cell reference (`C7` → 2). */
export function columnIndex(reference: string): number {
  let column = 0;
  let i = 0;
  for (; i < reference.length; i++) {
    const code = reference.charCodeAt(i) | 0x20; // lower case
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  if (i === 0 || column > 16384) throw new WorkbookError(`Invalid cell reference ${reference}`);
  return column - 1;
}

function record(cells: string[], width: number): string {
  // A blank one-column record would read as the end of a line, not as an empty field.
  if (width === 1 && !cells[0]) return '""\r\n';
  let line = "";
  for (let i = 0; i < width; i++) {
    if (i > 0) line += ",";
    const cell = cells[i];
    if (cell !== undefined) line += csvField(cell);
  }
  return `${line}\r\n`;
}

/** An RFC 4180 field (also quoting `\.`, which PostgreSQL's COPY would take for the end of data). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text === "\\." ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Decodes the `_xHHHH_` escapes of ECMA-376 strings (Excel writes `_x000D_` for carriage returns). */
function unescapeXstring(text: string): string {
  if (!text.includes("_x")) return text.includes("\0") ? text.replace(/\0/g, "") : text;
  return text
    .replace(/_x([0-9a-fA-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\0/g, ""); // PostgreSQL text cannot hold NUL
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A stored number in plain decimal notation (what PostgreSQL's numeric and the
 * import's checks accept: no exponent). Non-integers with more significant
 * digits than Excel's 15 are rounded to 15, which removes binary floating-point
 * noise (0.30000000000000004 → 0.3) and is what Excel shows; integers are kept.
 */
export function plainNumber(stored: string): string {
  const m = DECIMAL.exec(stored.trim());
  if (!m || (m[2] === "" && !m[3])) return stored;
  const sign = m[1] === "-" ? "-" : "";
  let digits = m[2]! + (m[3] ?? "");
  let point = m[2]!.length + Number(m[4] ?? 0); // the decimal point's position in `digits`
  const leading = digits.length - digits.replace(/^0+/, "").length;
  digits = digits.slice(leading).replace(/0+$/, "");
  point -= leading;
  if (digits === "") return "0";
  if (digits.length > 15 && digits.length > point) {
    let rounded = BigInt(digits.slice(0, 15)) + (digits.charCodeAt(15) >= 0x35 ? 1n : 0n);
    if (String(rounded).length > 15) {
      rounded /= 10n;
      point++;
    }
    digits = String(rounded).replace(/0+$/, "");
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** A date serial number (days since the workbook's epoch, the fraction being the time) as text. */
export function serialDate(stored: string, kind: DateKind, date1904 = false): string {
  const serial = Number(stored);
  if (!Number.isFinite(serial) || serial < 0) return plainNumber(stored);
  let seconds = Math.round(serial * 86_400);
  let days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const time = [seconds / 3600, (seconds / 60) % 60, seconds % 60]
    .map((n) => String(Math.floor(n)).padStart(2, "0"))
    .join(":");
  if (kind === "time" && days === 0) return time;
  let date: string;
  if (!date1904 && days === 60) {
    date = "1900-02-29"; // the day Lotus 1-2-3 (and so Excel) counts, which never was
  } else {
    if (!date1904 && days < 60) days += 1; // serials before it count from 1899-12-31
    date = new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + days * DAY_MS).toISOString().slice(0, 10);
  }
  return kind === "date" || seconds === 0 ? date : `${date} ${time}`;
}

/** An ISO 8601 date cell (`t="d"`) in the same shape as date serials. */
function isoDate(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!m) return value;
  const time = m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : "00:00:00";
  return time === "00:00:00" ? m[1]! : `${m[1]} ${time}`;
}
