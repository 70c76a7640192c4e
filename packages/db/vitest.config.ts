import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "db",
    globalSetup: ["./src/test-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
