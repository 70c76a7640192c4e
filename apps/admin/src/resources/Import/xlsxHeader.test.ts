/// <reference types="node" />
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { isXlsxFile, readXlsxHeader, XLSX_TYPE } from "./xlsxHeader";

/** A workbook of the repository (saved by LibreOffice Calc; the API's tests use them too). */
const fileOf = async (path: string) => new Blob([await readFile(new URL(path, import.meta.url))]);
const households = "../../../../../docs/samples/households.xlsx";
const cells = "../../../../api/src/modules/imports/testdata/cells.xlsx";

/** A zip of uncompressed parts (no checksums: the reader does not check them). */
function storedZip(parts: Record<string, string>): Blob {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const nameBytes = encoder.encode(name);
    const data = encoder.encode(text);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint32(20, data.length, true);
    central.setUint32(24, data.length, true);
    central.setUint16(28, nameBytes.length, true);
    central.setUint32(42, offset, true);
    chunks.push(new Uint8Array(local.buffer), nameBytes, data);
    directory.push(new Uint8Array(central.buffer), nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const size = directory.reduce((n, c) => n + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, Object.keys(parts).length, true);
  end.setUint16(10, Object.keys(parts).length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  return new Blob([...chunks, ...directory, new Uint8Array(end.buffer)] as BlobPart[]);
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const rels = (list: string[][]) =>
  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${list
    .map(([id, type, target]) => `<Relationship Id="${id}" Type="${RELS}/${type}" Target="${target}"/>`)
    .join("")}</Relationships>`;

describe("XLSX header", () => {
  it("reads the header row of a workbook saved by LibreOffice Calc", async () => {
    expect(await readXlsxHeader(await fileOf(households))).toEqual([
      "household_id",
      "name",
      "gaz_large",
      "gaz_small",
      "address",
      "registration_date",
      "roof_material",
      "has_electricity",
      "monthly_income",
    ]);
    expect(await readXlsxHeader(await fileOf(cells))).toEqual([
      "id",
      "name",
      "note",
      "birth_date",
      "seen_at",
      "income",
      "ratio",
      "active",
      "code",
    ]);
  });

  it("takes the first row with a value of the first visible sheet: inline and rich text, prefixed elements", async () => {
    const sheet = (rows: string) =>
      `<x:worksheet xmlns:x="${MAIN}"><x:sheetData>${rows}</x:sheetData></x:worksheet>`;
    const file = storedZip({
      "_rels/.rels": rels([["rId1", "officeDocument", "/xl/workbook.xml"]]),
      "xl/workbook.xml": `<workbook xmlns="${MAIN}" xmlns:r="${RELS}"><sheets><sheet name="Old" sheetId="1" r:id="rId1" state="hidden"/><sheet name="People" sheetId="2" r:id="rId2"/></sheets></workbook>`,
      "xl/_rels/workbook.xml.rels": rels([
        ["rId1", "worksheet", "worksheets/sheet1.xml"],
        ["rId2", "worksheet", "worksheets/sheet2.xml"],
        ["rId3", "sharedStrings", "sharedStrings.xml"],
      ]),
      "xl/worksheets/sheet1.xml": sheet(
        `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>hidden</x:t></x:is></x:c></x:row>`,
      ),
      "xl/worksheets/sheet2.xml": sheet(
        `<x:row r="1"/><x:row r="2"><x:c r="A2" s="3"/></x:row>` +
          `<x:row r="3"><x:c r="B3" t="s"><x:v>1</x:v></x:c><x:c r="D3" t="inlineStr"><x:is><x:r><x:t xml:space="preserve">given </x:t></x:r><x:r><x:t>name</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ナ</x:t></x:rPh></x:is></x:c><x:c t="s"><x:v>0</x:v></x:c></x:row>` +
          `<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t>data</x:t></x:is></x:c></x:row>`,
      ),
      "xl/sharedStrings.xml": `<sst xmlns="${MAIN}"><si><t>Zoë &amp; co_x000D_</t></si><si><r><t>house</t></r><r><t>hold_id</t></r></si><si><t>not read</t></si></sst>`,
    });
    expect(await readXlsxHeader(file)).toEqual(["household_id", "given name", "Zoë & co"]);
  });

  it("refuses files that are not workbooks", async () => {
    await expect(readXlsxHeader(new Blob(["id,name\n1,x\n"]))).rejects.toThrow(/not a zip/);
    await expect(readXlsxHeader(storedZip({ "readme.txt": "hello" }))).rejects.toThrow(/not an XLSX/);
  });

  it("recognises workbooks by type or by name", () => {
    expect(isXlsxFile({ name: "people.xlsx", type: "" })).toBe(true);
    expect(isXlsxFile({ name: "export", type: XLSX_TYPE })).toBe(true);
    expect(isXlsxFile({ name: "people.csv", type: "text/csv" })).toBe(false);
    expect(isXlsxFile({ name: "people.xls", type: "application/vnd.ms-excel" })).toBe(false);
  });
});
