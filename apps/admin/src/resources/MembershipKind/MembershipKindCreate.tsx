import { Create } from "react-admin";
import { MembershipKindForm } from "./MembershipKindForm";

export const MembershipKindCreate = () => (
  <Create redirect="list">
    <MembershipKindForm />
  </Create>
);
