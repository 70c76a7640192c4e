-- Job outputs (exports, import error reports) are streamed into the file
-- storage; the row keeps the key, size and SHA-256. Outputs written before
-- keep their bytes in "data" and are still served from there. Sizes become
-- bigint: an export of a large registry can pass 2 GiB.
ALTER TABLE "job_output" ADD COLUMN     "sha256" TEXT,
ADD COLUMN     "storage_key" TEXT,
ALTER COLUMN "byte_size" SET DATA TYPE BIGINT,
ALTER COLUMN "data" DROP NOT NULL;

ALTER TABLE job_output ADD CONSTRAINT job_output_content_in_one_place
  CHECK ((storage_key IS NULL) <> (data IS NULL));
ALTER TABLE job_output ADD CONSTRAINT job_output_stored_with_hash
  CHECK (storage_key IS NULL OR sha256 IS NOT NULL);
