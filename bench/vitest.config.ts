import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "bench",
    environment: "node",
    include: ["src/**/*.test.ts"],
    // The database test loads into a freshly created database; allow for a busy server.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
