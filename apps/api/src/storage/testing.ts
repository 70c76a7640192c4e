// The S3-compatible server the storage tests run against, in this order:
//
// 1. S3_TEST_ENDPOINT (with S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY,
//    optional S3_TEST_REGION, S3_TEST_BUCKET, S3_TEST_FORCE_PATH_STYLE=false):
//    any running service, e.g. MinIO or a bucket on AWS S3.
// 2. Ceph's RADOS Gateway from Debian's packages (`apt-get install
//    --no-install-recommends radosgw ceph-mon ceph-osd`, as .ci/run does): a
//    throwaway one-node cluster (one monitor, one in-memory OSD, one gateway)
//    in a temporary directory on free loopback ports, started in about 15 s.
//    RGW is the S3 implementation of many production object stores.
// 3. Neither: the tests are skipped with the reason, except under CI=true,
//    where a missing server is an error.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

export interface S3TestServer {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** A bucket to use instead of creating one (S3_TEST_BUCKET). */
  bucket?: string;
  /** What it is, for test titles. */
  description: string;
  stop(): Promise<void>;
}

const CEPH_TOOLS = [
  "ceph-authtool",
  "monmaptool",
  "ceph-mon",
  "ceph-osd",
  "radosgw",
  "radosgw-admin",
  "ceph",
];

const onPath = (command: string, path = "") =>
  path.split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

/**
 * How the S3 tests will get a server, decided without starting anything, or
 * why they cannot (then `start` is absent).
 */
export function s3TestServerPlan(
  env: NodeJS.ProcessEnv = process.env,
): { description: string; start: () => Promise<S3TestServer> } | { skip: string } {
  if (env.S3_TEST_ENDPOINT) {
    const endpoint = env.S3_TEST_ENDPOINT;
    const server: S3TestServer = {
      endpoint,
      region: env.S3_TEST_REGION || "us-east-1",
      accessKeyId: env.S3_TEST_ACCESS_KEY_ID ?? "",
      secretAccessKey: env.S3_TEST_SECRET_ACCESS_KEY ?? "",
      forcePathStyle: env.S3_TEST_FORCE_PATH_STYLE !== "false",
      bucket: env.S3_TEST_BUCKET || undefined,
      description: `S3_TEST_ENDPOINT ${endpoint}`,
      stop: async () => undefined,
    };
    return { description: server.description, start: async () => server };
  }
  const missing = CEPH_TOOLS.filter((tool) => !onPath(tool, env.PATH));
  if (!missing.length) return { description: "Ceph RGW (local one-node cluster)", start: startCephRgw };
  const skip =
    `no S3-compatible server: set S3_TEST_ENDPOINT, or install Ceph RGW ` +
    `(apt-get install --no-install-recommends radosgw ceph-mon ceph-osd; missing: ${missing.join(", ")})`;
  if (env.CI === "true") throw new Error(`${skip}. .ci/run installs it.`);
  return { skip };
}

const run = promisify(execFile);

/** `count` distinct loopback ports that were free a moment ago. */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Starts a one-monitor, one-OSD (in memory) Ceph cluster with a RADOS Gateway. */
export async function startCephRgw(): Promise<S3TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "pbms-ceph-"));
  const children: ChildProcess[] = [];
  const killAll = () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  };
  // Never leave daemons behind, even when the test process ends abruptly.
  process.once("exit", killAll);
  const stopDaemons = async () => {
    process.removeListener("exit", killAll);
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        if ((await Promise.race([exited, sleep(5000, "timeout")])) === "timeout") {
          child.kill("SIGKILL");
          await exited;
        }
      }),
    );
  };
  const stop = async () => {
    await stopDaemons();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const [monPort, rgwPort] = await freePorts(2);
    const fsid = randomUUID();
    const conf = join(dir, "ceph.conf");
    const keyring = join(dir, "keyring");
    await Promise.all(["run", "log", "mon.a", "osd.0"].map((d) => mkdir(join(dir, d))));
    await writeFile(
      conf,
      [
        "[global]",
        `fsid = ${fsid}`,
        `mon host = v2:127.0.0.1:${monPort}`,
        "public addr = 127.0.0.1",
        "cluster addr = 127.0.0.1",
        `keyring = ${keyring}`,
        `run dir = ${dir}/run`,
        `log file = ${dir}/log/$name.log`,
        `admin socket = ${dir}/run/$name.asok`,
        `mon data = ${dir}/mon.$id`,
        `osd data = ${dir}/osd.$id`,
        // One OSD: pools of one replica, few placement groups, no free-space alarms.
        "osd pool default size = 1",
        "osd pool default min size = 1",
        "osd pool default pg num = 8",
        "osd pool default pgp num = 8",
        "osd crush chooseleaf type = 0",
        "mon allow pool size one = true",
        "mon max pg per osd = 1000",
        "mon data avail warn = 1",
        "mon data avail crit = 0",
        "mon warn on pool no redundancy = false",
        "auth allow insecure global id reclaim = false",
        "osd objectstore = memstore",
        "memstore device bytes = 1073741824",
        "[client.rgw]",
        `rgw frontends = beast endpoint=127.0.0.1:${rgwPort}`,
        "rgw thread pool size = 32",
        "",
      ].join("\n"),
    );
    const env = { ...process.env, CEPH_ARGS: "", CEPH_CONF: conf };
    const tool = (command: string, args: string[]) => run(command, args, { env, timeout: 60_000 });
    const daemon = (command: string, args: string[]) => {
      const child = spawn(command, ["-f", "-c", conf, ...args], { env, stdio: "ignore" });
      children.push(child);
    };

    // cephx keys of the monitor, the admin CLI, the gateway and the OSD.
    const entities: [string, ...[string, string][]][] = [
      ["mon.", ["mon", "allow *"]],
      ["client.admin", ["mon", "allow *"], ["osd", "allow *"], ["mgr", "allow *"]],
      ["client.rgw", ["mon", "allow rw"], ["osd", "allow rwx"]],
      ["osd.0", ["mon", "allow profile osd"], ["osd", "allow *"]],
    ];
    for (const [i, [name, ...caps]] of entities.entries())
      await tool("ceph-authtool", [
        ...(i === 0 ? ["--create-keyring"] : []),
        keyring,
        "--gen-key",
        "-n",
        name,
        ...caps.flatMap(([subsystem, cap]) => ["--cap", subsystem, cap]),
      ]);
    const monmap = join(dir, "monmap");
    await tool("monmaptool", [
      "--create",
      "--addv",
      "a",
      `[v2:127.0.0.1:${monPort}]`,
      "--fsid",
      fsid,
      monmap,
    ]);
    await tool("ceph-mon", ["-c", conf, "--mkfs", "-i", "a", "--monmap", monmap]);
    daemon("ceph-mon", ["-i", "a"]);

    const osdUuid = randomUUID();
    await tool("ceph", ["-c", conf, "--connect-timeout", "30", "osd", "new", osdUuid, "0"]);
    await tool("ceph-osd", ["-c", conf, "-i", "0", "--mkfs", "--osd-uuid", osdUuid]);
    daemon("ceph-osd", ["-i", "0"]);
    daemon("radosgw", ["-n", "client.rgw"]);

    const endpoint = `http://127.0.0.1:${rgwPort}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const exited = children.find((c) => c.exitCode !== null || c.signalCode !== null);
      if (exited) throw new Error(`${exited.spawnfile} exited; logs in ${dir}/log`);
      const ok = await fetch(endpoint, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status < 500,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`RGW did not answer on ${endpoint}; logs in ${dir}/log`);
      await sleep(250);
    }

    const accessKeyId = `pbms${randomBytes(8).toString("hex")}`;
    const secretAccessKey = randomBytes(24).toString("base64url");
    await tool("radosgw-admin", [
      "-c",
      conf,
      "user",
      "create",
      "--uid=pbms-test",
      "--display-name=PBMS tests",
      `--access-key=${accessKeyId}`,
      `--secret-key=${secretAccessKey}`,
    ]);
    return {
      endpoint,
      region: "us-east-1",
      accessKeyId,
      secretAccessKey,
      forcePathStyle: true,
      description: "Ceph RGW",
      stop,
    };
  } catch (error) {
    // The directory stays, for its logs.
    await stopDaemons().catch(() => undefined);
    throw error;
  }
}
