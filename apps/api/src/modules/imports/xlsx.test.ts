import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { zipSync } from "fflate";
import writeXlsxFile from "write-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localStorage, type Storage } from "../../storage/storage.ts";
import { JobFailure } from "../jobs/job.registry.ts";
import {
  csvField,
  formatKind,
  openTabular,
  plainNumber,
  serialDate,
  WorkbookError,
  XLSX_CONTENT_TYPE,
  xlsxToCsv,
} from "./xlsx.ts";

// testdata/cells.xlsx was saved by LibreOffice Calc from testdata/cells.fods
// (`soffice --headless --convert-to xlsx cells.fods`); docs/samples/households.xlsx
// by LibreOffice Calc from docs/samples/households.csv.
const testdata = (name: string) => readFile(new URL(`testdata/${name}`, import.meta.url));
const sample = (name: string) => readFile(new URL(`../../../../../docs/samples/${name}`, import.meta.url));

/** The CSV of a workbook read from a stream that is not a file (so it is copied for random access). */
async function csvOf(xlsx: Buffer, tmpDir?: string): Promise<string> {
  let csv = "";
  for await (const chunk of xlsxToCsv(Readable.from([xlsx]), { tmpDir })) csv += String(chunk);
  return csv;
}

const lines = (...records: string[]) => records.map((r) => `${r}\r\n`).join("");

// Hand-assembled workbooks, for what the spec allows and the writers at hand do not produce.
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const relsXml = (rels: [id: string, type: string, target: string][]) =>
  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels
    .map(([id, type, target]) => `<Relationship Id="${id}" Type="${RELS}/${type}" Target="${target}"/>`)
    .join("")}</Relationships>`;
/** A worksheet part; with a prefix, every element is written with it (as strict writers do). */
const sheetXml = (rows: string, prefix = "") => {
  const xml = `<worksheet xmlns="${MAIN}"><sheetData>${rows}</sheetData></worksheet>`;
  return `<?xml version="1.0" encoding="UTF-8"?>${
    prefix ? xml.replace(/<(\/?)(\w+)/g, `<$1${prefix}:$2`).replace(/xmlns=/, `xmlns:${prefix}=`) : xml
  }`;
};

interface Parts {
  /** Worksheets in workbook order: part name (under xl/), XML, and optionally a state. */
  sheets: { target: string; xml: string; state?: string }[];
  sharedStrings?: string[];
  /** The `cellXfs` number formats, and custom formats by id. */
  styles?: { xfs: number[]; formats?: Record<number, string> };
  date1904?: boolean;
  /** Store the parts uncompressed. */
  stored?: boolean;
}

function workbook(parts: Parts): Buffer {
  const files: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    "_rels/.rels": relsXml([["rId1", "officeDocument", "/xl/workbook.xml"]]),
  };
  const rels: [string, string, string][] = [];
  parts.sheets.forEach((s, i) => {
    rels.push([`rId${i + 1}`, "worksheet", s.target]);
    files[s.target.startsWith("/") ? s.target.slice(1) : `xl/${s.target}`] = s.xml;
  });
  if (parts.sharedStrings) {
    rels.push(["rIdS", "sharedStrings", "sharedStrings.xml"]);
    files["xl/sharedStrings.xml"] =
      `<sst xmlns="${MAIN}">${parts.sharedStrings.map((s) => `<si>${s}</si>`).join("")}</sst>`;
  }
  if (parts.styles) {
    const { xfs, formats = {} } = parts.styles;
    rels.push(["rIdT", "styles", "styles.xml"]);
    files["xl/styles.xml"] = `<styleSheet xmlns="${MAIN}"><numFmts>${Object.entries(formats)
      .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code}"/>`)
      .join("")}</numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs>${xfs
      .map((id) => `<xf numFmtId="${id}"/>`)
      .join("")}</cellXfs></styleSheet>`;
  }
  files["xl/_rels/workbook.xml.rels"] = relsXml(rels);
  files["xl/workbook.xml"] =
    `<workbook xmlns="${MAIN}" xmlns:r="${RELS}"><workbookPr${parts.date1904 ? ' date1904="1"' : ""}/><sheets>${parts.sheets
      .map(
        (s, i) =>
          `<sheet name="S${i}" sheetId="${i + 1}" r:id="rId${i + 1}"${s.state ? ` state="${s.state}"` : ""}/>`,
      )
      .join("")}</sheets></workbook>`;
  const level = parts.stored ? 0 : 6;
  return Buffer.from(
    zipSync(Object.fromEntries(Object.entries(files).map(([name, xml]) => [name, Buffer.from(xml)])), {
      level,
    }),
  );
}

describe("xlsxToCsv", () => {
  it("converts a LibreOffice workbook: texts, dates, times, numbers, booleans, column gaps and blank rows", async () => {
    expect(await csvOf(await testdata("cells.xlsx"))).toBe(
      lines(
        "id,name,note,birth_date,seen_at,income,ratio,active,,code",
        'HH-1,Zoë Ñandú-Øst,"He said ""hi"", then left",1980-02-03,2026-03-04 10:30:00,1200,0.3,true,,007',
        // the cell right of the header's last column is dropped
        'HH-2,名前 テスト,"line one\nline two, ""quoted""",2000-02-29,2026-03-05,-12.5,0.15,false,no header,',
        // an empty row keeps its place, so record numbers stay row numbers
        ",,,,,,,,,",
        // a formula's text result; a time; 1E+020 as LibreOffice stores it
        'HH-3,Amina Yusuf,,,07:05:09,0.001,100000000000000000000,,,"a,b"',
        // the trailing row of formatted empty cells is dropped; so is the second sheet
      ),
    );
  });

  it("turns the households sample workbook into the households sample CSV", async () => {
    const csv = String(await sample("households.csv")).replace(/\r?\n/g, "\r\n");
    expect(await csvOf(await sample("households.xlsx"))).toBe(csv.endsWith("\r\n") ? csv : `${csv}\r\n`);
  });

  it("reads a workbook whose worksheet comes before its shared strings and styles in the zip", async () => {
    const xlsx = await writeXlsxFile(
      [
        ["name", "score", "born", "visited", "member", "formula"],
        ['Amani "Ama", Jr.\nsecond line', 0.1 + 0.2, new Date(Date.UTC(1984, 6, 9)), null, true],
        [
          "Ngũgĩ wa Thiong'o",
          1 / 3,
          null,
          { value: new Date(Date.UTC(2026, 0, 15, 9, 45)), format: "dd/mm/yyyy hh:mm" },
          false,
          { type: "Formula", value: "1+1" },
        ],
        [null, 2 ** 64, null, null, null],
      ],
      { dateFormat: "dd/mm/yyyy" },
    ).toBuffer();
    const order = (name: string) => xlsx.indexOf(Buffer.from(name));
    expect(order("xl/worksheets/sheet1.xml")).toBeLessThan(order("xl/sharedStrings.xml"));
    expect(order("xl/worksheets/sheet1.xml")).toBeLessThan(order("xl/styles.xml"));
    expect(await csvOf(xlsx)).toBe(
      lines(
        "name,score,born,visited,member,formula",
        '"Amani ""Ama"", Jr.\nsecond line",0.3,1984-07-09,,true,',
        // a formula written without its result has no value to import
        "Ngũgĩ wa Thiong'o,0.333333333333333,,2026-01-15 09:45:00,false,",
        ",18446744073709552000,,,,",
      ),
    );
  });

  it("reads inline strings (rich text, without phonetic runs), formula strings, errors, ISO dates and escapes", async () => {
    const xml = sheetXml(
      `<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>value</t></is></c></row>` +
        `<row r="2"><c r="A2" t="inlineStr"><is><r><rPr><b/></rPr><t xml:space="preserve">Ami </t></r><r><t>Ndayi</t></r><rPh sb="0" eb="1"><t>アミ</t></rPh></is></c>` +
        `<c r="B2" t="str"><f>A2&amp;"!"</f><v>Ami &amp; Ndayi!</v></c></row>` +
        `<row r="3"><c r="A3" t="inlineStr"><is><t>first_x000D_\nsecond, _x005F_x0041_</t></is></c><c r="B3" t="e"><v>#N/A</v></c></row>` +
        `<row r="4"><c r="A4" t="d"><v>2026-05-17T00:00:00Z</v></c><c r="B4" t="d"><v>2026-05-17T08:30:00</v></c></row>` +
        `<row r="5"><c r="A5" t="s"><v>0</v></c><c r="B5" t="s"><v>1</v></c></row>`,
    );
    const xlsx = workbook({
      sheets: [{ target: "worksheets/sheet1.xml", xml }],
      sharedStrings: [
        "<t>plain</t>",
        '<r><t>ri</t></r><r><rPr><i/></rPr><t>ch</t></r><rPh sb="0" eb="2"><t>リッチ</t></rPh>',
      ],
    });
    expect(await csvOf(xlsx)).toBe(
      lines(
        "name,value",
        "Ami Ndayi,Ami & Ndayi!",
        '"first\r\nsecond, _x0041_",#N/A',
        "2026-05-17,2026-05-17 08:30:00",
        "plain,rich",
      ),
    );
  });

  it("places cells by their reference, or after the previous cell when they have none", async () => {
    const xml = sheetXml(
      `<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c></row>` +
        `<row><c r="C2"><v>3</v></c><c><v>4</v></c></row>` +
        `<row r="4"><c r="A4"><v>1</v></c><c r="E4"><v>5</v></c></row>` +
        `<row r="5"><c r="B5" s="0"/><c r="C5" t="s"/></row>`,
    );
    expect(await csvOf(workbook({ sheets: [{ target: "worksheets/sheet1.xml", xml }] }))).toBe(
      // E4 lies right of the header; row 3 is missing and row 5 has no values
      lines("a,b,,d", ",,3,4", ",,,", "1,,,"),
    );
  });

  it("takes the first visible worksheet in workbook order, wherever its part is", async () => {
    const only = (text: string) =>
      sheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>${text}</t></is></c></row>`);
    const xlsx = workbook({
      sheets: [
        { target: "worksheets/sheet1.xml", xml: only("hidden"), state: "hidden" },
        { target: "/xl/data/Registrants.xml", xml: only("second tab") },
        { target: "worksheets/sheet3.xml", xml: only("third tab") },
      ],
      stored: true,
    });
    expect(await csvOf(xlsx)).toBe(lines("second tab"));
  });

  it("renders numbers by their cell style: built-in and custom date formats, the 1904 date system", async () => {
    const row = (r: number, s: number, v: string) =>
      `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>r${r}</t></is></c><c r="B${r}" s="${s}"><v>${v}</v></c></row>`;
    const sheet = sheetXml(
      `<row r="1"><c r="A1" t="inlineStr"><is><t>row</t></is></c><c r="B1" t="inlineStr"><is><t>value</t></is></c></row>` +
        row(2, 1, "45000") + // built-in 14 (m/d/yyyy)
        row(3, 2, "45000.75") + // built-in 22 (m/d/yyyy h:mm)
        row(4, 3, "0.5") + // [h]:mm
        row(5, 4, "45000.5") + // [Red]0.00 — a number, not a date
        row(6, 5, "45000") + // "d" in quotes — a number
        row(7, 0, "45000"),
      "x",
    );
    const styles = {
      xfs: [0, 14, 22, 164, 165, 166],
      formats: { 164: "[h]:mm", 165: "[Red]0.00", 166: "0 &quot;days&quot;" },
    };
    const sheets = [{ target: "worksheets/sheet1.xml", xml: sheet }];
    expect(await csvOf(workbook({ sheets, styles }))).toBe(
      lines(
        "row,value",
        "r2,2023-03-15",
        "r3,2023-03-15 18:00:00",
        "r4,12:00:00",
        "r5,45000.5",
        "r6,45000",
        "r7,45000",
      ),
    );
    expect((await csvOf(workbook({ sheets, styles, date1904: true }))).split("\r\n")[1]).toBe(
      "r2,2027-03-16",
    );
  });

  it("fails with a WorkbookError for files that are not usable workbooks", async () => {
    const empty = workbook({ sheets: [{ target: "worksheets/sheet1.xml", xml: sheetXml("") }] });
    await expect(csvOf(empty)).rejects.toThrow(new WorkbookError("The first worksheet is empty"));
    const notWorkbook = Buffer.from(zipSync({ "readme.txt": Buffer.from("hello") }));
    await expect(csvOf(notWorkbook)).rejects.toThrow(/zip archive but not an XLSX workbook/);
    const ods = Buffer.from(
      zipSync({
        mimetype: Buffer.from("application/vnd.oasis.opendocument.spreadsheet"),
        "content.xml": Buffer.from("<office:document-content/>"),
      }),
    );
    await expect(csvOf(ods)).rejects.toThrow(/OpenDocument spreadsheet \(\.ods\)/);
    const xlsb = Buffer.from(
      zipSync({
        "_rels/.rels": Buffer.from(relsXml([["rId1", "officeDocument", "xl/workbook.bin"]])),
        "xl/workbook.bin": Buffer.from([0x83, 0x01, 0x00]),
      }),
    );
    await expect(csvOf(xlsb)).rejects.toThrow(/binary Excel workbook \(\.xlsb\)/);
    const households = await sample("households.xlsx");
    await expect(csvOf(households.subarray(0, households.length - 100))).rejects.toThrow(WorkbookError);
    const broken = workbook({
      sheets: [{ target: "worksheets/sheet1.xml", xml: sheetXml("<row><c><v>1</v></row>") }],
    });
    await expect(csvOf(broken)).rejects.toThrow(/sheet1\.xml cannot be read/);
  });

  it("removes its temporary copy, also when the reader stops after the header", async () => {
    const tmp = await mkdtemp(join(tmpdir(), "xlsx-test-"));
    try {
      const rows = Array.from(
        { length: 5_000 },
        (_, i) =>
          `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>IND-${i}</t></is></c><c r="B${i + 2}"><v>${i}</v></c></row>`,
      ).join("");
      const xml = sheetXml(
        `<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>n</t></is></c></row>${rows}`,
      );
      const xlsx = workbook({ sheets: [{ target: "worksheets/sheet1.xml", xml }] });
      const csv = xlsxToCsv(Readable.from([xlsx]), { tmpDir: tmp });
      for await (const chunk of csv) {
        expect(String(chunk)).toMatch(/^id,n\r\n/);
        break;
      }
      await expect.poll(() => readdir(tmp)).toEqual([]);
      expect((await csvOf(xlsx, tmp)).split("\r\n")).toHaveLength(5_002);
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe("openTabular", () => {
  let dir: string;
  let storage: Storage;
  const store = async (content: Buffer) =>
    (await storage.put("tenant", Readable.from([content]), 1 << 30)).key;
  const read = async (stream: Readable) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tabular-test-"));
    storage = localStorage(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("passes CSV files through byte for byte", async () => {
    for (const content of [await sample("individuals.csv"), Buffer.from("a"), Buffer.alloc(0)]) {
      const key = await store(content);
      const csv = await read(
        openTabular(storage, { storageKey: key, fileName: "x.csv", contentType: "text/csv" }),
      );
      expect(csv.equals(content)).toBe(true);
    }
  });

  it("converts workbooks by their content, whatever their name and declared type", async () => {
    const key = await store(await sample("households.xlsx"));
    const expected = String(await sample("households.csv")).split("\n")[0];
    for (const file of [
      { fileName: "households.xlsx", contentType: XLSX_CONTENT_TYPE },
      { fileName: "upload.csv", contentType: "text/csv" },
    ]) {
      const csv = String(await read(openTabular(storage, { storageKey: key, ...file })));
      expect(csv.split("\r\n")[0]).toBe(expected);
      expect(csv.split("\r\n")).toHaveLength(8);
    }
  });

  it("reads storages that hand out other streams than local files", async () => {
    const inPieces = (content: Buffer): Pick<Storage, "get"> => ({
      get: () =>
        Readable.from(
          Array.from({ length: Math.ceil(content.length / 3) }, (_, i) => content.subarray(i * 3, i * 3 + 3)),
        ),
    });
    const csv = await sample("individuals.csv");
    const file = { storageKey: "k", fileName: "x.csv", contentType: "text/csv" };
    expect((await read(openTabular(inPieces(csv), file))).equals(csv)).toBe(true);
    const converted = String(await read(openTabular(inPieces(await sample("households.xlsx")), file)));
    expect(converted.replace(/\r\n/g, "\n")).toBe(String(await sample("households.csv")));
  });

  it("fails the job at once for old Excel files, files that only claim to be workbooks and broken workbooks", async () => {
    const xls = await store(Buffer.from("d0cf11e0a1b11ae1000000000000000000000000", "hex"));
    const fake = await store(Buffer.from("id,name\n1,x\n"));
    const broken = await store((await sample("households.xlsx")).subarray(0, 2000));
    const open = (storageKey: string, fileName: string) =>
      read(openTabular(storage, { storageKey, fileName, contentType: "application/octet-stream" }));
    await expect(open(xls, "old.xls")).rejects.toThrow(
      new JobFailure(
        "This is an Excel 97–2003 (.xls) or password-protected workbook: save it as .xlsx without a password, or as CSV",
      ),
    );
    await expect(open(fake, "renamed.xlsx")).rejects.toThrow(
      new JobFailure("This file is not an XLSX workbook"),
    );
    await expect(open(broken, "broken.xlsx")).rejects.toBeInstanceOf(JobFailure);
  });
});

describe("cell values", () => {
  it("writes numbers in plain decimal notation without floating-point noise", () => {
    expect(plainNumber("0.30000000000000004")).toBe("0.3");
    expect(plainNumber("3.3000000000000003")).toBe("3.3");
    expect(plainNumber("9.9999999999999999")).toBe("10");
    expect(plainNumber("123456789.123456789")).toBe("123456789.123457");
    expect(plainNumber("1200")).toBe("1200");
    expect(plainNumber("-12.50")).toBe("-12.5");
    expect(plainNumber("1E-3")).toBe("0.001");
    expect(plainNumber("1.5E+3")).toBe("1500");
    expect(plainNumber("1E+020")).toBe("100000000000000000000");
    expect(plainNumber("-0")).toBe("0");
    expect(plainNumber("12345678901234567")).toBe("12345678901234567");
    expect(plainNumber("not a number")).toBe("not a number");
  });

  it("tells date, date-time and time formats from other number formats", () => {
    expect(formatKind("yyyy\\-mm\\-dd")).toBe("date");
    expect(formatKind("[$-409]mmmm d, yyyy;@")).toBe("date");
    expect(formatKind("mmm yy")).toBe("date");
    expect(formatKind("dd/mm/yyyy hh:mm")).toBe("datetime");
    expect(formatKind("h:mm AM/PM")).toBe("time");
    expect(formatKind("mm:ss.0")).toBe("time");
    expect(formatKind("[h]:mm:ss")).toBe("time");
    for (const code of [
      "General",
      "0.00",
      "#,##0 [$€-407]",
      '0 "days"',
      "0.00E+00",
      '"TRUE";"TRUE";"FALSE"',
      "[Red]0%",
    ])
      expect(formatKind(code)).toBeUndefined();
  });

  it("counts date serials as Excel does, including its 1900-02-29", () => {
    expect(serialDate("1", "date")).toBe("1900-01-01");
    expect(serialDate("59", "date")).toBe("1900-02-28");
    expect(serialDate("60", "date")).toBe("1900-02-29");
    expect(serialDate("61", "date")).toBe("1900-03-01");
    expect(serialDate("46085.4375", "date")).toBe("2026-03-04");
    expect(serialDate("46085.4375", "datetime")).toBe("2026-03-04 10:30:00");
    expect(serialDate("46085.99999999", "datetime")).toBe("2026-03-05");
    expect(serialDate("0.295243055555556", "time")).toBe("07:05:09");
    expect(serialDate("0", "date", true)).toBe("1904-01-01");
  });

  it("quotes CSV fields that need it", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("\\.")).toBe('"\\."');
  });
});
