import PeopleIcon from "@mui/icons-material/People";
import type { ResourceProps } from "react-admin";
import { UserProfileList } from "./UserProfileList";
import { UserProfileShow } from "./UserProfileShow";

/** The user directory, filled on sign-in (read-only). `<Resource name="UserProfile" {...userProfiles} />` */
export const userProfiles: Omit<ResourceProps, "name"> = {
  list: UserProfileList,
  show: UserProfileShow,
  icon: PeopleIcon,
  recordRepresentation: "username",
};
