import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "graphql-types",
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
