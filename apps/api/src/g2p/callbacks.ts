// Asynchronous search: a small in-process queue that runs searches after the
// ACK and POSTs the on-search message to the sender's callback URL.
//
// In-process on purpose (searches are short and read-only): work still queued
// when the process stops is lost, and the sender sees no callback; it may ask
// again with the same transaction_id.
import type { Logger } from "../logger.ts";

type Task = () => Promise<void>;

/** Runs tasks with bounded concurrency and a bounded backlog. */
export class TaskQueue {
  private running = 0;
  private readonly waiting: Task[] = [];

  constructor(private readonly options: { concurrency: number; maxPending: number; log: Logger }) {}

  /** Queues a task; false when the backlog is full. */
  push(task: Task): boolean {
    if (this.running + this.waiting.length >= this.options.maxPending) return false;
    this.waiting.push(task);
    this.pump();
    return true;
  }

  private pump() {
    while (this.running < this.options.concurrency && this.waiting.length) {
      const task = this.waiting.shift()!;
      this.running++;
      task()
        .catch((err: unknown) => this.options.log.error({ err }, "g2p callback task failed"))
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}

/** Delays between delivery attempts (the first attempt is immediate). */
const RETRY_DELAYS_MS = [1_000, 5_000, 25_000];
const ATTEMPT_TIMEOUT_MS = 10_000;

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    // Unreferenced: a pending retry never keeps the process alive.
    setTimeout(resolve, ms).unref();
  });

/**
 * POSTs a callback body, retrying network errors, timeouts, 429 and 5xx.
 * Redirects are not followed (the URL was checked, its redirect target was not).
 */
export async function deliverCallback(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  log: Logger;
}): Promise<boolean> {
  const { url, body, headers, log } = options;
  for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
    if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1]!);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) {
        log.info({ status: res.status, attempt: attempt + 1 }, "g2p on-search callback delivered");
        return true;
      }
      const retry = res.status === 429 || res.status >= 500;
      log.warn({ status: res.status, attempt: attempt + 1, retry }, "g2p on-search callback refused");
      if (!retry) return false;
    } catch (err) {
      log.warn({ err: (err as Error).message, attempt: attempt + 1 }, "g2p on-search callback failed");
    }
  }
  log.error("g2p on-search callback not delivered: giving up");
  return false;
}
