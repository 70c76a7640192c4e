import WorkIcon from "@mui/icons-material/Work";
import type { ResourceProps } from "react-admin";
import { JobList } from "./JobList";
import { JobShow } from "./JobShow";

export { JobProgress } from "./JobProgress";

/** Background jobs (audit log exports). `<Resource name="Job" {...jobs} />` */
export const jobs: Omit<ResourceProps, "name"> = {
  list: JobList,
  show: JobShow,
  icon: WorkIcon,
};
