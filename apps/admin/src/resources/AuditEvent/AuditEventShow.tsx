import { DateField, Show, SimpleShowLayout, TextField } from "react-admin";
import { JsonField } from "../../components/JsonField";

export const AuditEventShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="id" />
      <DateField source="occurredAt" showTime />
      <TextField source="action" />
      <TextField source="actorName" />
      <TextField source="actorId" />
      <TextField source="entityType" />
      <TextField source="entityId" />
      <TextField source="departmentId" />
      <TextField source="requestId" />
      <JsonField source="before" />
      <JsonField source="after" />
    </SimpleShowLayout>
  </Show>
);
