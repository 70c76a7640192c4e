import { useQuery } from "@apollo/client";
import { Alert } from "@mui/material";
import {
  Edit,
  Loading,
  SelectInput,
  SimpleForm,
  TextInput,
  required,
  useNotify,
  useTranslate,
} from "react-admin";
import { VIEWER_DEPARTMENT } from "../../dataProvider/operations";
import { availableLocales } from "../../i18n";
import { validateCurrency, validateTimeZone } from "./departmentValidation";

/** The UI languages (endonyms, not translated). */
const localeChoices = availableLocales.map(({ locale, name }) => ({ id: locale, name }));

/** Route of the settings page (admins; see the menu). */
export const DEPARTMENT_SETTINGS_PATH = "/settings/department";

/** Edits the signed-in user's own department: `viewer { department { id } }`, then department(id) / updateDepartment. */
export const DepartmentSettings = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const { data, loading, error } = useQuery(VIEWER_DEPARTMENT);

  if (loading) return <Loading />;
  if (error || !data) return <Alert severity="error">{translate("app.department.notFound")}</Alert>;

  return (
    <Edit
      resource="Department"
      id={data.viewer.department.id}
      title="app.department.title"
      actions={false}
      redirect={false}
      mutationMode="pessimistic"
      mutationOptions={{ onSuccess: () => notify("app.department.saved", { type: "success" }) }}
    >
      <SimpleForm>
        <TextInput source="code" readOnly />
        <TextInput source="name" validate={required()} />
        <SelectInput source="locale" choices={localeChoices} translateChoice={false} validate={required()} />
        <TextInput source="currency" validate={[required(), validateCurrency]} />
        <TextInput source="timezone" validate={[required(), validateTimeZone]} />
      </SimpleForm>
    </Edit>
  );
};
