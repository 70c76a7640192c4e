// Shared flat config. TypeScript files are checked by tsc (typescript-eslint turns
// `no-undef` off for them), so browser globals need no extra declaration here; the
// react-hooks plugin is not part of the workspace, so no hooks rules either.
export { default } from "@pbms/config/eslint";
