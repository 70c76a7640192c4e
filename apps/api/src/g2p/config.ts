// Settings of the G2P Connect registry API. Read from the environment here
// (not apps/api/src/env.ts) so the feature stays self-contained.
import { z } from "zod";
import { Role } from "../auth/roles.ts";

/** Realm roles allowed to search the registry through G2P Connect. */
export const G2P_SEARCH_ROLES: readonly Role[] = [Role.Admin, Role.Registrar, Role.ProgramManager];

/** Most search items one message may carry (more: rjct.total_count.limit_exceeded). */
export const MAX_SEARCH_ITEMS = 20;

/** How long a response signature stays valid. */
export const SIGNATURE_TTL_SECONDS = 3600;

/** Asynchronous searches waiting or running at once; beyond this, requests get ERR err.service.unavailable. */
export const MAX_PENDING_CALLBACKS = 200;

const origins = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const out: string[] = [];
    for (const item of (s ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean)) {
      try {
        const url = new URL(item);
        if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("not http(s)");
        out.push(url.origin);
      } catch {
        ctx.addIssue({ code: "custom", message: `not an http(s) origin: ${item}` });
      }
    }
    return out;
  });

const schema = z.object({
  /** Private Ed25519 JWK (JSON) signing responses; generated at start outside production when unset. */
  G2P_SIGNING_JWK: z.string().optional(),
  /** This registry's sender_id in response headers and in the Signature keyId. */
  G2P_SENDER_ID: z
    .string()
    .regex(/^[^|"\s]{1,200}$/, "no spaces, quotes or |")
    .default("pbms"),
  /**
   * Origins (scheme://host[:port], comma separated) that asynchronous search
   * callbacks may be sent to. Required in production (no callbacks otherwise);
   * outside production any http(s) URL is accepted when unset.
   */
  G2P_CALLBACK_ORIGINS: origins,
});

export type G2pConfig = z.infer<typeof schema>;

/** Reads the G2P settings; throws with every problem listed. */
export function loadG2pConfig(source: NodeJS.ProcessEnv = process.env): G2pConfig {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid G2P Connect settings: ${problems}`);
  }
  return parsed.data;
}
