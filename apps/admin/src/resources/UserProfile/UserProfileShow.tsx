import { DateField, EmailField, Show, SimpleShowLayout, TextField } from "react-admin";
import { RolesField } from "./RolesField";

export const UserProfileShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="username" />
      <TextField source="name" />
      <EmailField source="email" />
      <RolesField source="roles" />
      <TextField source="subject" />
      <DateField source="firstSeenAt" showTime />
      <DateField source="lastSignInAt" showTime />
    </SimpleShowLayout>
  </Show>
);
