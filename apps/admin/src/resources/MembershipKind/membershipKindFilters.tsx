import { SearchInput } from "react-admin";

export const membershipKindFilters = [<SearchInput key="q" source="q" alwaysOn />];
