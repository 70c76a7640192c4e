import { BooleanField, Datagrid, List, TextField, useRecordContext, useTranslate } from "react-admin";
import { EnumField } from "../../components/EnumField";
import { useRowClickEdit } from "../../components/useRowClickEdit";
import { attributeDefinitionFilters } from "./attributeDefinitionFilters";

/** Individuals, groups, or both. */
export const AppliesToField = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<{ id: string; appliesTo?: string | null }>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <span>
      {record.appliesTo
        ? translate(`app.registrant.kind.${record.appliesTo}`, { _: record.appliesTo })
        : translate("app.attributeDefinition.appliesToBoth")}
    </span>
  );
};

export const AttributeDefinitionList = () => {
  const rowClick = useRowClickEdit("AttributeDefinition");
  return (
    <List filters={attributeDefinitionFilters} exporter={false} sort={{ field: "code", order: "ASC" }}>
      <Datagrid rowClick={rowClick} bulkActionButtons={false}>
        <TextField source="code" />
        <TextField source="label" />
        <EnumField source="type" messageKey={(type) => `app.attributeDefinition.type.${type}`} />
        <AppliesToField source="appliesTo" sortable={false} />
        <BooleanField source="required" sortable={false} />
      </Datagrid>
    </List>
  );
};
