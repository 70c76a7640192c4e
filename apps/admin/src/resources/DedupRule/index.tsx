import RuleIcon from "@mui/icons-material/Rule";
import {
  BooleanField,
  BooleanInput,
  Datagrid,
  Edit,
  List,
  NumberField,
  NumberInput,
  SimpleForm,
  maxValue,
  minValue,
  type ResourceProps,
} from "react-admin";
import { EnumField } from "../../components/EnumField";
import { useRowClickEdit } from "../../components/useRowClickEdit";

const DedupRuleList = () => {
  const rowClick = useRowClickEdit("DedupRule");
  return (
    <List exporter={false} pagination={false} perPage={50}>
      <Datagrid rowClick={rowClick} bulkActionButtons={false}>
        <EnumField source="kind" messageKey={(kind) => `app.dedup.rule.${kind}`} />
        <BooleanField source="enabled" />
        <NumberField source="nameThreshold" />
        <NumberField source="birthDateDays" />
      </Datagrid>
    </List>
  );
};

const DedupRuleEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <SimpleForm>
      <EnumField source="kind" messageKey={(kind) => `app.dedup.rule.${kind}`} />
      <BooleanInput source="enabled" />
      <NumberInput
        source="nameThreshold"
        min={0.3}
        max={1}
        step={0.05}
        validate={[minValue(0.3), maxValue(1)]}
      />
      <NumberInput
        source="birthDateDays"
        min={0}
        max={366}
        step={1}
        validate={[minValue(0), maxValue(366)]}
      />
    </SimpleForm>
  </Edit>
);

/** The department's deduplication rules (admins). `<Resource name="DedupRule" {...dedupRules} />` */
export const dedupRules: Omit<ResourceProps, "name"> = {
  list: DedupRuleList,
  edit: DedupRuleEdit,
  icon: RuleIcon,
};
