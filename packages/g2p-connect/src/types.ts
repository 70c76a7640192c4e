// Hand-written types for the G2P Connect / DCI registry search messages this
// package validates and builds. They follow the vendored OpenAPI documents
// (spec/), listing both dialects' names where they differ (see README.md of
// the shared specs: DCI kept `idtype-value|expression` and `reg_event_type`).

/** `common/schema/RequestStatus.yaml` */
export type RequestStatus = "rcvd" | "pdng" | "succ" | "rjct";

/** `common/schema/MsgHeaderStatusReasonCode.yaml` */
export type MsgHeaderStatusReasonCode =
  | "rjct.version.invalid"
  | "rjct.message_id.duplicate"
  | "rjct.message_ts.invalid"
  | "rjct.action.invalid"
  | "rjct.action.not_supported"
  | "rjct.total_count.invalid"
  | "rjct.total_count.limit_exceeded"
  | "rjct.errors.too_many";

/** `registry/schema/SearchStatusReasonCode.yaml` */
export type SearchStatusReasonCode =
  | "rjct.reference_id.invalid"
  | "rjct.reference_id.duplicate"
  | "rjct.timestamp.invalid"
  | "rjct.search_criteria.invalid"
  | "rjct.filter.invalid"
  | "rjct.sort.invalid"
  | "rjct.pagination.invalid"
  | "rjct.search.too_many_records_found";

/** `common/schema/Error.yaml` (asynchronous acknowledgement errors). */
export type ErrorCode =
  | "err.request.bad"
  | "err.request.unauthorized"
  | "err.request.forbidden"
  | "err.request.not_found"
  | "err.request.timeout"
  | "err.version.not_supported"
  | "err.request.too_many_requests"
  | "err.sender_id.invalid"
  | "err.sender_uri.invalid"
  | "err.receiver_id.invalid"
  | "err.signature.missing"
  | "err.signature.invalid"
  | "err.encryption.invalid"
  | "err.service.unavailable";

/** `common/schema/MsgHeader_V1.0.0.yaml`: header of a request. */
export interface MsgHeader {
  version?: string;
  message_id: string;
  message_ts: string;
  action: string;
  sender_id: string;
  sender_uri?: string;
  receiver_id?: string;
  /** An integer in the spec; DCI samples send a digit string. */
  total_count: number | string;
  is_msg_encrypted?: boolean;
  meta?: Record<string, unknown>;
}

/** `common/schema/MsgCallbackHeader_V1.0.0.yaml`: header of a response or callback. */
export interface MsgCallbackHeader {
  version?: string;
  message_id: string;
  message_ts: string;
  action: string;
  status: RequestStatus;
  status_reason_code?: MsgHeaderStatusReasonCode;
  status_reason_message?: string;
  total_count?: number;
  completed_count?: number;
  sender_id?: string;
  receiver_id?: string;
  is_msg_encrypted?: boolean;
  meta?: Record<string, unknown>;
}

/** `common/schema/AttributeValue.yaml` (plus arrays, for the `in` operator). */
export type AttributeValue = string | number | boolean | Record<string, unknown> | AttributeValue[];

/** G2P Connect `common/schema/QueryType.yaml` and DCI `QueryType`. */
export type QueryType = "namedQuery" | "idtype" | "predicate" | "idtype-value" | "expression";

/** `common/schema/ExpOperator.yaml` */
export type ExpOperator = "gt" | "lt" | "eq" | "ge" | "le" | "in";
/** `common/schema/ExpCondition.yaml` */
export type ExpCondition = "and" | "or" | "not";

/** `common/schema/IdTypeQuery.yaml` (G2P Connect `idtype`, DCI `idtype-value`). */
export interface IdTypeQuery {
  type: string;
  value: AttributeValue;
}

/** `common/schema/NamedQuery.yaml` */
export interface NamedQuery {
  query_name: string;
  query_params: Record<string, unknown>;
}

/** `common/schema/Predicate.yaml` (DCI `ExpPredicate`). */
export interface Predicate {
  attribute_name: string;
  operator: ExpOperator;
  attribute_value: AttributeValue;
}

/** `common/schema/PredicateWithCondition.yaml` (DCI `ExpPredicateWithCondition`). */
export interface PredicateWithCondition {
  seq_num?: number;
  expression1: Predicate;
  condition?: ExpCondition;
  expression2?: Predicate;
}

/** DCI `ExpTemplate`: an expression in a query language named by `type`. */
export interface ExpTemplate {
  type: string;
  value: { expression?: unknown; [key: string]: unknown };
}

export type RegistryQuery = IdTypeQuery | NamedQuery | PredicateWithCondition[] | ExpTemplate;

/** `common/schema/PaginationRequest.yaml` (1-based). */
export interface PaginationRequest {
  page_size: number;
  page_number?: number;
}

/** `common/schema/Pagination.yaml` */
export interface Pagination {
  page_size: number;
  page_number: number;
  total_count: number;
}

/** `common/schema/SearchSort.yaml` */
export interface SearchSort {
  attribute_name: string;
  sort_order?: "asc" | "desc";
}

export interface SearchCriteria {
  version?: string;
  /** Required by G2P Connect, optional in DCI. */
  reg_type?: string;
  /** G2P Connect name. */
  reg_sub_type?: string;
  /** DCI name of `reg_sub_type`. */
  reg_event_type?: string;
  /** DCI social registry: `Group` or `Member`. */
  response_entity?: string;
  query_type: QueryType;
  query: RegistryQuery;
  sort?: SearchSort[];
  pagination?: PaginationRequest;
  consent?: Record<string, unknown>;
  authorize?: Record<string, unknown>;
}

export interface SearchRequestItem {
  reference_id: string;
  timestamp: string;
  search_criteria: SearchCriteria;
  locale?: string;
}

/** `registry/schema/SearchRequest.yaml` */
export interface SearchRequest {
  transaction_id: string;
  search_request: SearchRequestItem[];
}

/** One record of `data.reg_records`; the spec leaves its shape open. */
export type RegistryRecord = Record<string, unknown>;

export interface SearchResponseData {
  version?: string;
  reg_type?: string;
  reg_sub_type?: string;
  reg_event_type?: string;
  reg_record_type: string;
  reg_records: RegistryRecord[];
}

export interface SearchResponseItem {
  reference_id: string;
  timestamp: string;
  status: RequestStatus;
  status_reason_code?: SearchStatusReasonCode;
  status_reason_message?: string;
  data?: SearchResponseData;
  pagination?: Pagination;
  locale?: string;
}

/** `registry/schema/SearchResponse.yaml` */
export interface SearchResponse {
  transaction_id: string;
  correlation_id: string;
  search_response: SearchResponseItem[];
}

/** Request body of `/registry/search` and `/registry/sync/search`. */
export interface RegistrySearchRequestEnvelope {
  signature?: string;
  header: MsgHeader;
  message: SearchRequest;
}

/** Response of `/registry/sync/search` and body of the `/registry/on-search` callback. */
export interface RegistrySearchResponseEnvelope {
  signature?: string;
  header: MsgCallbackHeader;
  message?: SearchResponse;
}

/** `common/response/Response.yaml`: the acknowledgement of an asynchronous request. */
export interface AckResponse {
  message: {
    ack_status: "ACK" | "NACK" | "ERR";
    timestamp: string;
    error?: { code: ErrorCode; message?: string };
    correlation_id: string;
  };
}

/** `common/response/HttpErrorResponse.yaml` */
export interface HttpErrorResponse {
  errors: { code: string; message?: string }[];
}
