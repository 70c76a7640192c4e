export { default } from "@pbms/config/eslint";
