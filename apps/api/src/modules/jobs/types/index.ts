// Registers every job type. Import once in the API and the worker.
import "./audit-export.job.ts";
import "../../imports/registry-import.job.ts";
import "../../dedup/dedup.job.ts";
import "../../imports/registry-export.job.ts";
import "../../datasources/sync.job.ts";
