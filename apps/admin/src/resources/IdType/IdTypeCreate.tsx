import { Create } from "react-admin";
import { IdTypeForm } from "./IdTypeForm";

export const IdTypeCreate = () => (
  <Create redirect="list">
    <IdTypeForm />
  </Create>
);
