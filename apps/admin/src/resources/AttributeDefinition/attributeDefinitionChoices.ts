import type { AttributeType } from "@pbms/graphql-types";
import { registrantKinds } from "../Registrant/registrantChoices";

export const attributeTypes: readonly AttributeType[] = [
  "TEXT",
  "NUMBER",
  "INTEGER",
  "BOOLEAN",
  "ENUM",
  "DATE",
];
export const typeChoices = attributeTypes.map((id) => ({ id, name: `app.attributeDefinition.type.${id}` }));
export const appliesToChoices = registrantKinds.map((id) => ({ id, name: `app.registrant.kind.${id}` }));
