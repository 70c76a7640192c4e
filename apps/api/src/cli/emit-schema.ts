// Writes the API's SDL to apps/api/schema.graphql (committed; a test fails when it drifts).
import { writeFile } from "node:fs/promises";
import { printSchemaFile } from "../graphql/sdl.ts";

const file = new URL("../../schema.graphql", import.meta.url);
await writeFile(file, await printSchemaFile());
process.stdout.write(`wrote ${file.pathname}\n`);
