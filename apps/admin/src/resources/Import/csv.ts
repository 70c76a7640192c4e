/**
 * Minimal RFC 4180 CSV reading for what the browser needs: the header row of a file
 * about to be imported and the import's error report (line, column, message).
 */

/** Parses CSV text into records (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const source = text.replace(/^\uFEFF/, "");
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let started = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] as string;
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
      continue;
    }
    if (char === '"') {
      quoted = true;
      started = true;
    } else if (char === ",") {
      record.push(field);
      field = "";
      started = true;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && source[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      started = false;
    } else {
      field += char;
      started = true;
    }
  }
  if (started || field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The header columns of a CSV file from its first characters (BOM removed, names trimmed). */
export function parseCsvHeader(text: string): string[] {
  const [header] = parseCsv(firstRecordText(text));
  return (header ?? []).map((name) => name.trim()).filter((name) => name !== "");
}

/** The text of the first record (up to the first line break outside quotes). */
function firstRecordText(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) return text.slice(0, i);
  }
  return text;
}

/** A rejected row of an import, as listed in the job's error report. */
export interface ImportError {
  line: number;
  column: string;
  message: string;
}

/** Rows of the import error report (`line,column,message` with a header row). */
export function parseImportErrors(text: string): ImportError[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.map((name) => name.trim().toLowerCase());
  const at = (name: string, fallback: number) => (names.includes(name) ? names.indexOf(name) : fallback);
  const [line, column, message] = [at("line", 0), at("column", 1), at("message", 2)];
  return rows
    .filter((row) => row.some((cell) => cell.trim() !== ""))
    .map((row) => ({
      line: Number(row[line] ?? Number.NaN),
      column: row[column] ?? "",
      message: row[message] ?? "",
    }));
}
