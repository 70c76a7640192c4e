import RuleIcon from "@mui/icons-material/Rule";
import {
  Button,
  Datagrid,
  DateField,
  FilterButton,
  List,
  NumberField,
  SelectInput,
  TopToolbar,
  useCanAccess,
} from "react-admin";
import { EnumField } from "../../components/EnumField";
import { FindDuplicatesButton } from "./FindDuplicatesButton";
import { MemberNamesField, SetStatusChip } from "./DuplicateSetFields";
import { ruleChoices, setStatusChoices } from "./dedupChoices";

const filters = [
  <SelectInput key="status" source="status" choices={setStatusChoices} alwaysOn />,
  <SelectInput key="rule" source="rule" choices={ruleChoices} alwaysOn />,
];

/** Admins reach the rules from here. */
const RulesButton = () => {
  const { canAccess } = useCanAccess({ resource: "DedupRule", action: "list" });
  if (!canAccess) return null;
  return (
    <Button label="app.dedup.action.rules" to="/DedupRule">
      <RuleIcon />
    </Button>
  );
};

const Actions = () => (
  <TopToolbar>
    <FilterButton />
    <RulesButton />
    <FindDuplicatesButton />
  </TopToolbar>
);

/** Sets found by deduplication runs, open ones first by default; a row opens the review. */
export const DuplicateSetList = () => (
  <List
    filters={filters}
    filterDefaultValues={{ status: "OPEN" }}
    actions={<Actions />}
    exporter={false}
    empty={false}
    queryOptions={{
      meta: {
        sparseFields: [
          "id",
          "rule",
          "score",
          "status",
          "createdAt",
          "registrantIds",
          { members: ["id", "name"] },
        ],
      },
    }}
  >
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <EnumField source="rule" messageKey={(rule) => `app.dedup.rule.${rule}`} />
      <NumberField source="score" options={{ maximumFractionDigits: 2 }} />
      <MemberNamesField label="resources.DuplicateSet.fields.members" sortable={false} />
      <SetStatusChip source="status" />
      <DateField source="createdAt" showTime />
    </Datagrid>
  </List>
);
