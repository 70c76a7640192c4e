import { JobState, JobType } from "@pbms/graphql-types";
import { describe, expect, it } from "vitest";
import { filenameFromContentDisposition, resolveOutputUrl } from "./jobDownload";
import { isJobActive, jobProgress } from "./jobProgress";
import { jobStates, jobTypes } from "./jobStates";

const job = (state: string, progressDone: number, progressTotal: number | null, progressPercent = 0) =>
  ({ state, progressDone, progressTotal, progressPercent }) as Parameters<typeof jobProgress>[0];

describe("jobProgress", () => {
  it("is determinate from done / total", () => {
    expect(jobProgress(job("RUNNING", 250, 1000))).toMatchObject({
      variant: "determinate",
      value: 25,
      done: 250,
      total: 1000,
      percent: 25,
      color: "primary",
    });
  });

  it("is indeterminate while running with no known total and no progress", () => {
    expect(jobProgress(job("RUNNING", 0, null)).variant).toBe("indeterminate");
    expect(jobProgress(job("QUEUED", 0, null))).toMatchObject({ variant: "determinate", value: 0 });
  });

  it("uses the server's percentage when there is no total, and is full once succeeded", () => {
    expect(jobProgress(job("RUNNING", 10, null, 37.5))).toMatchObject({
      variant: "determinate",
      value: 37.5,
      percent: 37,
    });
    expect(jobProgress(job("SUCCEEDED", 999, 1000))).toMatchObject({ value: 100, color: "success" });
    expect(jobProgress(job("FAILED", 5, 10)).color).toBe("error");
    expect(jobProgress(job("CANCELLED", 5, 10)).color).toBe("warning");
  });

  it("clamps out-of-range progress", () => {
    expect(jobProgress(job("RUNNING", 12, 10)).value).toBe(100);
    expect(jobProgress(job("RUNNING", -3, 10)).value).toBe(0);
  });

  it("polls only queued and running jobs", () => {
    expect(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", undefined].map(isJobActive)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("job output download", () => {
  it("resolves a relative output URL against the API", () => {
    expect(resolveOutputUrl("/jobs/7/output", "http://localhost:4000/graphql")).toBe(
      "http://localhost:4000/jobs/7/output",
    );
    expect(resolveOutputUrl("https://files.example.org/x.csv", "http://localhost:4000/graphql")).toBe(
      "https://files.example.org/x.csv",
    );
  });

  it("reads the file name from Content-Disposition", () => {
    expect(filenameFromContentDisposition('attachment; filename="audit-2024.csv"')).toBe("audit-2024.csv");
    expect(filenameFromContentDisposition("attachment; filename=audit.csv; size=10")).toBe("audit.csv");
    expect(
      filenameFromContentDisposition(
        "attachment; filename*=UTF-8''journal%20d%C3%A9c.csv; filename=\"x.csv\"",
      ),
    ).toBe("journal déc.csv");
    expect(filenameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe("passwd");
    expect(filenameFromContentDisposition("attachment")).toBeUndefined();
    expect(filenameFromContentDisposition(null)).toBeUndefined();
  });
});

describe("job states and types", () => {
  it("list every value of the schema's enums", () => {
    expect([...jobStates].sort()).toEqual(Object.values(JobState).sort());
    expect([...jobTypes].sort()).toEqual(Object.values(JobType).sort());
  });
});
