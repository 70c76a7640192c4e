import { Create } from "react-admin";
import { GeoZoneForm } from "./GeoZoneForm";
import { geoZoneInput } from "./geoZoneValidation";

export const GeoZoneCreate = () => (
  <Create redirect="list" transform={geoZoneInput}>
    <GeoZoneForm />
  </Create>
);
