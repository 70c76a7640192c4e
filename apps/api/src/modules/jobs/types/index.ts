// Registers every job type. Import once in the API and the worker.
import "./audit-export.job.ts";
