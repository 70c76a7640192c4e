import BadgeIcon from "@mui/icons-material/Badge";
import type { ResourceProps } from "react-admin";
import { IdTypeCreate } from "./IdTypeCreate";
import { IdTypeEdit } from "./IdTypeEdit";
import { IdTypeList } from "./IdTypeList";

/** Identifier types (national ID, passport…). `<Resource name="IdType" {...idTypes} />` */
export const idTypes: Omit<ResourceProps, "name"> = {
  list: IdTypeList,
  create: IdTypeCreate,
  edit: IdTypeEdit,
  icon: BadgeIcon,
  recordRepresentation: "name",
};
