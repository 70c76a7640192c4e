import { readFile } from "node:fs/promises";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const inlined = /[\\/]node_modules[\\/](ra-data-graphql[^\\/]*)[\\/]dist[\\/].*\.js$/;

/**
 * ra-data-graphql(-simple) ship source maps without their sources, and Vite warns for
 * each inlined file. Load them without the sourceMappingURL comment instead.
 */
const dropDependencySourceMaps: Plugin = {
  name: "pbms:drop-dependency-source-maps",
  enforce: "pre",
  async load(id) {
    const file = id.split("?")[0] ?? id;
    if (!inlined.test(file)) return null;
    const code = await readFile(file, "utf8");
    return { code: code.replace(/^\/\/# sourceMappingURL=.*$/gm, ""), map: null };
  },
};

// Pure-function tests only: no DOM environment is installed.
export default defineConfig({
  plugins: [dropDependencySourceMaps],
  test: {
    name: "admin",
    environment: "node",
    include: ["src/**/*.test.ts"],
    server: {
      deps: {
        // Their ESM builds import named exports from @apollo/client, whose CommonJS
        // entry Node cannot resolve that way; let Vite resolve them (ESM entry) instead.
        inline: [/ra-data-graphql/, /@apollo\/client/],
      },
    },
  },
});
