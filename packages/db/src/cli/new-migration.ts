// Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
// takes the schema as of the last commit to the current prisma/schema.prisma.
// Every new table with a tenant_id column gets its row-level-security policy.
//   pnpm db:migration:new add_registrants
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrationsDir } from "../migrations.ts";
import { prisma } from "./prisma.ts";
import { tenantRlsStatements } from "../tenancy-sql.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write("usage: pnpm db:migration:new <snake_case_name>\n");
  process.exit(2);
}
const schemaPath = fileURLToPath(new URL("../../../../prisma/schema.prisma", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pbms-migration-"));
let committed = "";
try {
  committed = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8", stdio: "pipe" });
} catch {
  committed = "";
}
const from = committed ? ["--from-schema-datamodel", await writeTemp(committed)] : ["--from-empty"];
const sql = prisma(["migrate", "diff", ...from, "--to-schema-datamodel", schemaPath, "--script"]);
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  process.stdout.write("schema.prisma matches the last commit: no migration written\n");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = new URL(`${stamp}_${name}/`, migrationsDir);
await mkdir(dir, { recursive: true });
const rls = tenantRlsStatements(sql);
await writeFile(
  new URL("migration.sql", dir),
  rls.length ? `${sql}\n-- Row-level security\n${rls.join("\n")}\n` : sql,
);
process.stdout.write(`wrote ${fileURLToPath(dir)}migration.sql\n`);

async function writeTemp(content: string): Promise<string> {
  const file = join(tmp, "schema.prisma");
  await writeFile(file, content);
  return file;
}
