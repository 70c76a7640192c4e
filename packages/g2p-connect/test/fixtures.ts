// Small, spec-shaped messages for the unit tests.
import { callbackHeader, requestHeader } from "../src/index.ts";
import type { RegistrySearchRequestEnvelope, SearchCriteria } from "../src/index.ts";

export const TS = "2024-05-01T10:00:00Z";

export function searchRequest(
  criteria: Partial<SearchCriteria> & Pick<SearchCriteria, "query_type" | "query">,
  extra: Partial<RegistrySearchRequestEnvelope["header"]> = {},
): RegistrySearchRequestEnvelope {
  return {
    header: {
      ...requestHeader({ action: "search", senderId: "spp.example.org", totalCount: 1, messageTs: TS }),
      ...extra,
    },
    message: {
      transaction_id: "txn-1",
      search_request: [
        {
          reference_id: "ref-1",
          timestamp: TS,
          search_criteria: { reg_type: "ns:pbms:RegistryType:Social", ...criteria },
        },
      ],
    },
  };
}

export function searchResponse(records: Record<string, unknown>[] | Record<string, unknown>) {
  return {
    header: callbackHeader({
      action: "on-search",
      status: "succ",
      senderId: "pbms",
      receiverId: "spp.example.org",
      totalCount: 1,
      completedCount: 1,
    }),
    message: {
      transaction_id: "txn-1",
      correlation_id: "corr-1",
      search_response: [
        {
          reference_id: "ref-1",
          timestamp: TS,
          status: "succ",
          data: {
            version: "1.0.0",
            reg_type: "ns:pbms:RegistryType:Social",
            reg_record_type: "ns:pbms:RegistryRecordType:Person",
            reg_records: records,
          },
          pagination: { page_size: 10, page_number: 1, total_count: 1 },
        },
      ],
    },
  };
}
