import { SelectInput } from "react-admin";
import { jobStates, jobTypes } from "./jobStates";

const stateChoices = jobStates.map((state) => ({ id: state, name: `app.job.state.${state}` }));
const typeChoices = jobTypes.map((type) => ({ id: type, name: `app.job.type.${type}` }));

export const jobFilters = [
  <SelectInput key="state" source="state" choices={stateChoices} alwaysOn />,
  <SelectInput key="type" source="type" choices={typeChoices} alwaysOn />,
];
