import PlaceIcon from "@mui/icons-material/Place";
import type { ResourceProps } from "react-admin";
import { GeoZoneCreate } from "./GeoZoneCreate";
import { GeoZoneEdit } from "./GeoZoneEdit";
import { GeoZoneList } from "./GeoZoneList";

/** Geographic zones (GAZ-large and GAZ-small). `<Resource name="GeoZone" {...geoZones} />` */
export const geoZones: Omit<ResourceProps, "name"> = {
  list: GeoZoneList,
  create: GeoZoneCreate,
  edit: GeoZoneEdit,
  icon: PlaceIcon,
  recordRepresentation: "name",
};
