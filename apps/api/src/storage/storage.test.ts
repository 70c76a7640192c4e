import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunked, describeStorageContract } from "./storage.contract.ts";
import { localStorage, type Storage } from "./storage.ts";

let root: string;
let storage: Storage;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "pbms-storage-"));
  storage = localStorage(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describeStorageContract("local disk", () => ({
  storage,
  list: (prefix) =>
    readdir(join(root, prefix)).then(
      (names) => names.map((name) => `${prefix}/${name}`),
      () => [],
    ),
}));

describe("local disk", () => {
  it("keeps each file at <root>/<prefix>/<name>", async () => {
    const stored = await storage.put("tenant-a", chunked(Buffer.from("x")), 10);

    expect(await readdir(join(root, "tenant-a"))).toEqual([stored.key.slice("tenant-a/".length)]);
  });
});
