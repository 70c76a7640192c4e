import type { AttributeDefinition } from "@pbms/graphql-types";
import { useGetList } from "react-admin";

/** The department's attribute definitions (one request, cached for every form and page that asks). */
export function useAttributeDefinitions(): {
  definitions: AttributeDefinition[] | undefined;
  isPending: boolean;
} {
  const { data, isPending } = useGetList<AttributeDefinition>(
    "AttributeDefinition",
    { pagination: { page: 1, perPage: 500 }, sort: { field: "code", order: "ASC" } },
    { staleTime: 60_000 },
  );
  return { definitions: data, isPending };
}
