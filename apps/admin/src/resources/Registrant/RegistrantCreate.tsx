import { Create } from "react-admin";
import { RegistrantForm } from "./RegistrantForm";
import { registrantInput } from "./registrantForm";
import { useAttributeDefinitions } from "./useAttributeDefinitions";

export const RegistrantCreate = () => {
  const { definitions } = useAttributeDefinitions();
  return (
    <Create redirect="show" transform={(values) => registrantInput(values, definitions, { creating: true })}>
      <RegistrantForm creating definitions={definitions} />
    </Create>
  );
};
