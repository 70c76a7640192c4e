// `npm test` runs every package's tests in one Vitest run (one summary).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["apps/*/vitest.config.ts", "packages/*/vitest.config.ts", "bench/vitest.config.*"],
  },
});
