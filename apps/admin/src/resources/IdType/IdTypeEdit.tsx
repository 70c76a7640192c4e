import { Edit } from "react-admin";
import { IdTypeForm } from "./IdTypeForm";

export const IdTypeEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <IdTypeForm />
  </Edit>
);
