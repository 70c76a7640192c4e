import HubIcon from "@mui/icons-material/Hub";
import type { ResourceProps } from "react-admin";
import {
  DataSourceCreate,
  DataSourceEdit,
  DataSourceList,
  DataSourceRecordList,
  DataSourceShow,
} from "./DataSourceViews";

/** External G2P Connect registries the department pulls records from. `<Resource name="DataSource" {...dataSources} />` */
export const dataSources: Omit<ResourceProps, "name"> = {
  list: DataSourceList,
  show: DataSourceShow,
  create: DataSourceCreate,
  edit: DataSourceEdit,
  icon: HubIcon,
  recordRepresentation: "name",
};

/** The records of the data sources as last pulled. */
export const dataSourceRecords: Omit<ResourceProps, "name"> = {
  list: DataSourceRecordList,
};
