import { SearchInput } from "react-admin";

export const idTypeFilters = [<SearchInput key="q" source="q" alwaysOn />];
