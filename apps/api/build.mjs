// Production build: one ESM bundle, dist/main.js. Workspace packages (@pbms/*,
// consumed from TypeScript source) are bundled; npm packages stay external and
// come from the production node_modules.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  tsconfig: "tsconfig.json",
  logLevel: "warning",
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  plugins: [
    {
      name: "external-npm-packages",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@pbms/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
