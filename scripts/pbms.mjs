#!/usr/bin/env node
// Bootstrap for a fresh machine with only Node.js and npm: fetches the pinned
// pnpm from the npm registry, installs the workspace when package manifests or
// the lockfile changed, generates code, then runs packages/devstack's CLI
// (start | test | e2e). Uses Node built-ins only.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const [major] = process.versions.node.split(".").map(Number);
if (major < 20) {
  process.stderr.write(`PBMS needs Node.js 20 or newer (found ${process.version}).\n`);
  process.exit(1);
}

// Tools installed in the workspace (pnpm itself included, for turbo) come first.
process.env.PATH = `${join(root, "node_modules/.bin")}:${process.env.PATH}`;
process.env.TURBO_TELEMETRY_DISABLED = "1";
process.env.DO_NOT_TRACK = "1";

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function manifestsHash() {
  const hash = createHash("sha256");
  const files = ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"];
  for (const dir of ["apps", "packages"]) {
    for (const name of readdirSync(join(root, dir))) files.push(join(dir, name, "package.json"));
  }
  files.push("bench/package.json");
  for (const file of files)
    if (existsSync(join(root, file))) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest("hex");
}

const marker = join(root, "node_modules", ".pbms-installed");
const wanted = manifestsHash();
if (!existsSync(marker) || readFileSync(marker, "utf8") !== wanted) {
  process.stdout.write(`Installing dependencies with ${packageManager}…\n`);
  sh("npx", ["--yes", packageManager, "install", "--frozen-lockfile"]);
  writeFileSync(marker, wanted);
}
sh(join(root, "node_modules/.bin/turbo"), ["run", "generate", "--output-logs=errors-only"]);
// Ctrl-C reaches the CLI too; wait for it to stop the stack cleanly.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => undefined);
const [command = "start", ...rest] = process.argv.slice(2);
const cli = spawnSync(
  join(root, "packages/devstack/node_modules/.bin/tsx"),
  [join(root, "packages/devstack/src/cli.ts"), command, ...rest],
  {
    cwd: root,
    stdio: "inherit",
  },
);
process.exit(cli.status ?? (cli.signal ? 130 : 1));
