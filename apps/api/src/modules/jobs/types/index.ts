// Registers every job type. Import once in the API and the worker.
import "./audit-export.job.ts";
import "../../imports/registry-import.job.ts";
import "../../imports/registry-export.job.ts";
