import { BooleanInput, SimpleForm, TextInput } from "react-admin";
import { validateMembershipKind } from "./membershipKindValidation";

/** A kind of membership: code, name and whether a group has at most one current member of it. */
export const MembershipKindForm = () => (
  <SimpleForm validate={validateMembershipKind}>
    <TextInput source="code" />
    <TextInput source="name" />
    <BooleanInput source="uniquePerGroup" />
  </SimpleForm>
);
