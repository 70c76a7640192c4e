import ContentCopyIcon from "@mui/icons-material/ContentCopy";
import type { ResourceProps } from "react-admin";
import { DuplicateSetList } from "./DuplicateSetList";
import { DuplicateSetShow } from "./DuplicateSetShow";

/** Possible duplicates found by deduplication runs, and their review. `<Resource name="DuplicateSet" {...duplicateSets} />` */
export const duplicateSets: Omit<ResourceProps, "name"> = {
  list: DuplicateSetList,
  show: DuplicateSetShow,
  icon: ContentCopyIcon,
};
