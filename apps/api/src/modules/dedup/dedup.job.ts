// DEDUPLICATION: runs every enabled rule of the department as set-based SQL
// (dedup.sql.ts) and records what it found. The exact rules are one statement
// each; the name rule is cut into birth-date ranges fixed when the job first
// starts (stored in the checkpoint, so a retried job resumes after the last
// finished chunk), with progress and a cancellation check after every chunk.
// Start it with the `runDeduplication` mutation, which refuses a second run.
import { DedupRuleKind, inTenant, type TenantScope } from "@pbms/db";
import { z } from "zod";
import { defineJob, Role, type JobOutcome, type JobRun } from "../jobs/job.registry.ts";
import { birthDateChunks, exactRuleSql, nameRuleSql, runRuleSql, type BirthDateRange } from "./dedup.sql.ts";

/** Candidates per chunk of the name rule. */
export const NAME_CHUNK_ROWS = 25_000;
/** A chunk may take minutes at scale: longer than a request's transaction. */
const STEP_TIMEOUT_MS = 30 * 60_000;

export const dedupParamsSchema = z.object({ rules: z.array(z.enum(DedupRuleKind)).optional() }).strict();

type Step =
  | { rule: Exclude<DedupRuleKind, "SIMILAR_NAME_BIRTH_DATE"> }
  | { rule: "SIMILAR_NAME_BIRTH_DATE"; range: BirthDateRange; threshold: number; days: number };

interface Checkpoint {
  steps: Step[];
  next: number;
  setsFound: Partial<Record<DedupRuleKind, number>>;
  largeGroupsSkipped: Partial<Record<DedupRuleKind, number>>;
  seconds: Partial<Record<DedupRuleKind, number>>;
}

const isCheckpoint = (c: unknown): c is Checkpoint =>
  typeof c === "object" && c !== null && Array.isArray((c as Checkpoint).steps);

/** The steps of a run: one per exact rule, one per birth-date chunk of the name rule. */
async function plan(run: DedupRun, scope: TenantScope, only: DedupRuleKind[] | undefined): Promise<Step[]> {
  return inTenant(
    run.db,
    scope,
    async (t) => {
      const rules = await t.dedupRule.findMany({ where: { enabled: true }, orderBy: { kind: "asc" } });
      const steps: Step[] = [];
      for (const rule of rules) {
        if (only && !only.includes(rule.kind)) continue;
        if (rule.kind !== "SIMILAR_NAME_BIRTH_DATE") {
          steps.push({ rule: rule.kind });
          continue;
        }
        for (const range of await birthDateChunks(t, NAME_CHUNK_ROWS)) {
          steps.push({ rule: rule.kind, range, threshold: rule.nameThreshold, days: rule.birthDateDays });
        }
      }
      return steps;
    },
    { timeout: STEP_TIMEOUT_MS },
  );
}

/** What the handler uses of a job run (the benchmark passes its own). */
export type DedupRun = Pick<JobRun, "job" | "db" | "log" | "progress" | "cancelRequested">;

/** The job's handler (exported for the benchmark). */
export async function deduplicate(run: DedupRun): Promise<JobOutcome> {
  const { job } = run;
  const params = dedupParamsSchema.parse(job.params);
  const scope: TenantScope = { tenantId: job.tenantId, actorId: job.createdById, requestId: `job:${job.id}` };
  const state: Checkpoint = isCheckpoint(job.checkpoint)
    ? job.checkpoint
    : {
        steps: await plan(run, scope, params.rules),
        next: 0,
        setsFound: {},
        largeGroupsSkipped: {},
        seconds: {},
      };
  for (const step of state.steps) state.setsFound[step.rule] ??= 0;
  const total = state.steps.length;
  await run.progress(state.next, total, state);
  const result = () => ({
    setsFound: state.setsFound,
    ...(Object.keys(state.largeGroupsSkipped).length ? { largeGroupsSkipped: state.largeGroupsSkipped } : {}),
    seconds: state.seconds,
    steps: total,
  });
  while (state.next < total) {
    const step = state.steps[state.next]!;
    const started = performance.now();
    const sql =
      step.rule === "SIMILAR_NAME_BIRTH_DATE"
        ? nameRuleSql(job.tenantId, job.id, step.range, step)
        : exactRuleSql(job.tenantId, job.id, step.rule);
    const outcome = await inTenant(run.db, scope, (t) => runRuleSql(t, sql), { timeout: STEP_TIMEOUT_MS });
    state.setsFound[step.rule] = (state.setsFound[step.rule] ?? 0) + outcome.found;
    if (outcome.tooLarge)
      state.largeGroupsSkipped[step.rule] = (state.largeGroupsSkipped[step.rule] ?? 0) + outcome.tooLarge;
    const seconds = (state.seconds[step.rule] ?? 0) + (performance.now() - started) / 1000;
    state.seconds[step.rule] = Math.round(seconds * 1000) / 1000;
    state.next++;
    await run.progress(state.next, total, state);
    if (state.next < total && (await run.cancelRequested()))
      return { result: { ...result(), cancelled: true } };
  }
  run.log.info(result(), "deduplication finished");
  return { result: result() };
}

defineJob("DEDUPLICATION", {
  roles: [Role.Registrar],
  parseParams(params) {
    const parsed = dedupParamsSchema.safeParse(params);
    if (!parsed.success)
      throw new Error(
        parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; "),
      );
    return JSON.parse(JSON.stringify(parsed.data)) as Record<string, unknown>;
  },
  run: deduplicate,
});
