import { Edit } from "react-admin";
import { AttributeDefinitionForm } from "./AttributeDefinitionForm";
import { attributeDefinitionInput } from "./attributeDefinitionValidation";

export const AttributeDefinitionEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list" transform={attributeDefinitionInput}>
    <AttributeDefinitionForm creating={false} />
  </Edit>
);
