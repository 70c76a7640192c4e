import type { GeoZoneLevel } from "@pbms/graphql-types";

export const geoZoneLevels: readonly GeoZoneLevel[] = ["LARGE", "SMALL"];
export const levelChoices = geoZoneLevels.map((id) => ({ id, name: `app.geoZone.level.${id}` }));
