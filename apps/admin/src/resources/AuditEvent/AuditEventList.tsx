import { Datagrid, DateField, FilterButton, List, TextField, TopToolbar, useListContext } from "react-admin";
import { ExportAuditLogButton } from "../Job/JobButtons";
import { auditEventFilters } from "./auditEventFilters";
import { auditExportParams } from "./auditExportParams";

/** Export runs as a server job over the current filters (never by paging in the browser). */
const AuditEventListActions = () => {
  const { filterValues } = useListContext();
  return (
    <TopToolbar>
      <FilterButton />
      <ExportAuditLogButton params={auditExportParams(filterValues)} />
    </TopToolbar>
  );
};

export const AuditEventList = () => (
  <List
    filters={auditEventFilters}
    actions={<AuditEventListActions />}
    exporter={false}
    sort={{ field: "occurredAt", order: "DESC" }}
    perPage={25}
  >
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <DateField source="occurredAt" showTime />
      <TextField source="actorName" />
      <TextField source="action" />
      <TextField source="entityType" />
      <TextField source="entityId" sortable={false} />
    </Datagrid>
  </List>
);
