export * from "./types.ts";
export {
  DIALECTS,
  MESSAGE_SCHEMAS,
  SPEC_SOURCES,
  SPEC_TOLERANCES,
  schemaValidator,
  specDocument,
  type Dialect,
  type MessageSchema,
} from "./spec.ts";
export {
  describeErrors,
  detectDialect,
  searchReasonCodes,
  validateAck,
  validateHttpError,
  validateOnSearchCallback,
  validateRegistrySearchRequest,
  validateRegistrySearchResponse,
  type SchemaError,
  type Validation,
} from "./validate.ts";
export {
  ackResponse,
  callbackHeader,
  httpErrorResponse,
  MAX_REASON_MESSAGE,
  messageTimestamp,
  newMessageId,
  pagination,
  PROTOCOL_VERSION,
  reasonMessage,
  requestHeader,
} from "./envelope.ts";
export {
  bodyDigest,
  JWS_ALGORITHM,
  parseSignatureHeader,
  SIGNATURE_ALGORITHM,
  SignatureError,
  signBody,
  SIGNED_COMPONENTS,
  signingString,
  verifyBodySignature,
  type MessageSigner,
  type SignedBody,
  type VerifiedSignature,
} from "./signature.ts";
