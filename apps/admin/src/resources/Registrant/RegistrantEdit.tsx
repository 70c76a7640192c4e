import { useMemo } from "react";
import { Edit, useRecordContext } from "react-admin";
import { RegistrantForm } from "./RegistrantForm";
import { registrantFormValues, registrantInput } from "./registrantForm";
import { useAttributeDefinitions } from "./useAttributeDefinitions";

/** The form over the record as read (phones edited by number); waits for the record. */
const RegistrantEditForm = () => {
  const record = useRecordContext();
  const { definitions } = useAttributeDefinitions();
  const values = useMemo(() => (record ? registrantFormValues(record) : undefined), [record]);
  if (!values) return null;
  return <RegistrantForm creating={false} definitions={definitions} record={values} />;
};

/**
 * Pessimistic: the API validates identifiers, phones and accounts, and its refusals are
 * shown on the inputs; `version` goes back so a concurrent change is a conflict.
 */
export const RegistrantEdit = () => {
  const { definitions } = useAttributeDefinitions();
  return (
    <Edit
      mutationMode="pessimistic"
      redirect="show"
      transform={(values) => registrantInput(values, definitions, { creating: false })}
    >
      <RegistrantEditForm />
    </Edit>
  );
};
