// Runs the Prisma CLI of this package with the repository's configuration.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));

/** Runs `prisma <args>` and returns its stdout; throws with stderr on failure. */
export function prisma(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(join(packageDir, "node_modules/.bin/prisma"), args, {
    cwd: packageDir,
    env: {
      ...process.env,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      // The schema names env("DATABASE_URL"); without it the CLI cannot read
      // the generator settings and falls back to downloading native engines.
      DATABASE_URL:
        env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://offline@localhost/offline",
      ...env,
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`prisma ${args.join(" ")} failed:\n${result.stderr}\n${result.stdout}`);
  }
  return result.stdout;
}
