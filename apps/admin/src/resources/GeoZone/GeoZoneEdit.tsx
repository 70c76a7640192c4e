import { Edit } from "react-admin";
import { GeoZoneForm } from "./GeoZoneForm";
import { geoZoneInput } from "./geoZoneValidation";

export const GeoZoneEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list" transform={geoZoneInput}>
    <GeoZoneForm />
  </Edit>
);
