import { useCanAccess } from "react-admin";

/** Rows of a reference list open the edit page for those who may edit, and nothing otherwise. */
export function useRowClickEdit(resource: string): "edit" | false {
  const { canAccess } = useCanAccess({ resource, action: "edit" });
  return canAccess ? "edit" : false;
}
