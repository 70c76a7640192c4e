import HistoryIcon from "@mui/icons-material/History";
import type { ResourceProps } from "react-admin";
import { AuditEventList } from "./AuditEventList";
import { AuditEventShow } from "./AuditEventShow";

/** The audit log (read-only). `<Resource name="AuditEvent" {...auditEvents} />` */
export const auditEvents: Omit<ResourceProps, "name"> = {
  list: AuditEventList,
  show: AuditEventShow,
  icon: HistoryIcon,
  recordRepresentation: "action",
};
