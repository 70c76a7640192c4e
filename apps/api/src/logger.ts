import pino from "pino";

/** The process's one logger. Structured fields only; never log tokens or personal data. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: "pbms-api" },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token"],
      remove: true,
    },
  });
}

export type Logger = pino.Logger;
