import { Edit } from "react-admin";
import { MembershipKindForm } from "./MembershipKindForm";

export const MembershipKindEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <MembershipKindForm />
  </Edit>
);
