import type { ResourceProps } from "react-admin";

export { DEPARTMENT_SETTINGS_PATH, DepartmentSettings } from "./DepartmentSettings";

/**
 * Registered without list/show pages (`<Resource name="Department" {...departments} />`) so the
 * data provider serves department(id) / updateDepartment to the settings page.
 */
export const departments: Omit<ResourceProps, "name"> = {
  recordRepresentation: "name",
};
