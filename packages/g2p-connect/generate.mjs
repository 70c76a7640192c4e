// Converts the vendored OpenAPI documents (YAML, byte-identical upstream copies
// under spec/) into one JSON module the runtime imports, so the validators work
// the same from TypeScript sources and from the API's esbuild bundle (which
// ships no spec/ folder). test/spec.test.ts fails when this output drifts.
//
//   input:  spec/g2p-connect/registry/bundled/registry_core_api_v1.0.0.yaml
//           spec/dci/registry_core_api_v1.0.0.yaml
//   output: src/generated/registry-specs.json
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));

/** Dialect name -> vendored OpenAPI document (relative to this package). */
const SPEC_SOURCES = {
  g2pconnect: "spec/g2p-connect/registry/bundled/registry_core_api_v1.0.0.yaml",
  dci: "spec/dci/registry_core_api_v1.0.0.yaml",
};

const out = { sources: SPEC_SOURCES, documents: {} };
for (const [dialect, path] of Object.entries(SPEC_SOURCES)) {
  out.documents[dialect] = parse(await readFile(resolve(here, path), "utf8"));
}

const outDir = resolve(here, "src/generated");
await mkdir(outDir, { recursive: true });
await writeFile(resolve(outDir, "registry-specs.json"), JSON.stringify(out) + "\n");
process.stdout.write(`g2p-connect: ${Object.keys(SPEC_SOURCES).length} OpenAPI documents -> ${outDir}\n`);
