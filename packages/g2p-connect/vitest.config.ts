import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "g2p-connect",
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
