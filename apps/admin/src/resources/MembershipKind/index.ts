import FamilyRestroomIcon from "@mui/icons-material/FamilyRestroom";
import type { ResourceProps } from "react-admin";
import { MembershipKindCreate } from "./MembershipKindCreate";
import { MembershipKindEdit } from "./MembershipKindEdit";
import { MembershipKindList } from "./MembershipKindList";

/** Kinds of group membership (head, spouse, child…). `<Resource name="MembershipKind" {...membershipKinds} />` */
export const membershipKinds: Omit<ResourceProps, "name"> = {
  list: MembershipKindList,
  create: MembershipKindCreate,
  edit: MembershipKindEdit,
  icon: FamilyRestroomIcon,
  recordRepresentation: "name",
};
