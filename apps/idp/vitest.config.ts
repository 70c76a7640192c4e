import { defineConfig } from "vitest/config";

// Tests start the IdP in-process on a random port; no DOM environment.
export default defineConfig({
  test: {
    name: "idp",
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
