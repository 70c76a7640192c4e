import TuneIcon from "@mui/icons-material/Tune";
import type { ResourceProps } from "react-admin";
import { AttributeDefinitionCreate } from "./AttributeDefinitionCreate";
import { AttributeDefinitionEdit } from "./AttributeDefinitionEdit";
import { AttributeDefinitionList } from "./AttributeDefinitionList";

/** Custom attributes of registrants. `<Resource name="AttributeDefinition" {...attributeDefinitions} />` */
export const attributeDefinitions: Omit<ResourceProps, "name"> = {
  list: AttributeDefinitionList,
  create: AttributeDefinitionCreate,
  edit: AttributeDefinitionEdit,
  icon: TuneIcon,
  recordRepresentation: "label",
};
