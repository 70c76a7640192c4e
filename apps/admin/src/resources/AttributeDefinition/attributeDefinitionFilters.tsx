import { SearchInput } from "react-admin";

export const attributeDefinitionFilters = [<SearchInput key="q" source="q" alwaysOn />];
