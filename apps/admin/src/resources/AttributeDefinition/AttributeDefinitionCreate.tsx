import { Create } from "react-admin";
import { AttributeDefinitionForm } from "./AttributeDefinitionForm";
import { attributeDefinitionInput } from "./attributeDefinitionValidation";

export const AttributeDefinitionCreate = () => (
  <Create redirect="list" transform={attributeDefinitionInput}>
    <AttributeDefinitionForm creating />
  </Create>
);
