-- Verification of a data source's response signatures: the registry's JWKS
-- URL, or pinned public keys (a JWKS), never both. Neither: responses are
-- accepted unverified.
ALTER TABLE "data_source" ADD COLUMN "signature_jwks_url" TEXT,
ADD COLUMN "signature_keys" JSONB;

ALTER TABLE data_source ADD CONSTRAINT data_source_signature_one_way
  CHECK (signature_jwks_url IS NULL OR signature_keys IS NULL);
ALTER TABLE data_source ADD CONSTRAINT data_source_signature_keys_object
  CHECK (signature_keys IS NULL OR jsonb_typeof(signature_keys) = 'object');
