import PersonSearchIcon from "@mui/icons-material/PersonSearch";
import type { ResourceProps } from "react-admin";
import { RegistrantCreate } from "./RegistrantCreate";
import { RegistrantEdit } from "./RegistrantEdit";
import { RegistrantList } from "./RegistrantList";
import { RegistrantShow } from "./RegistrantShow";

/** The registry of persons and groups (no delete: status changes instead). `<Resource name="Registrant" {...registrants} />` */
export const registrants: Omit<ResourceProps, "name"> = {
  list: RegistrantList,
  show: RegistrantShow,
  create: RegistrantCreate,
  edit: RegistrantEdit,
  icon: PersonSearchIcon,
  recordRepresentation: "name",
};
