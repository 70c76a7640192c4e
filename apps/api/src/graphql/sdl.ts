import { lexicographicSortSchema, printSchema } from "graphql";
import { pbmsSchema } from "./schema.ts";

/** The schema as committed in schema.graphql: sorted so diffs stay small. */
export async function printSchemaFile(): Promise<string> {
  const sdl = printSchema(lexicographicSortSchema(await pbmsSchema()));
  return `# Generated from the API's resolvers by \`pnpm --filter @pbms/api schema:emit\`. Do not edit.\n\n${sdl}\n`;
}
