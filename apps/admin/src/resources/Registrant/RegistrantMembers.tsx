import { useApolloClient } from "@apollo/client";
import GroupAddIcon from "@mui/icons-material/GroupAdd";
import LogoutIcon from "@mui/icons-material/Logout";
import { Box, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Typography } from "@mui/material";
import type { GroupMembership, Registrant } from "@pbms/graphql-types";
import { useState } from "react";
import {
  AutocompleteInput,
  Button,
  Confirm,
  Datagrid,
  DateField,
  DateInput,
  Form,
  ListContextProvider,
  ReferenceField,
  ReferenceInput,
  SaveButton,
  SelectInput,
  useCanAccess,
  useList,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { submissionErrorsOf } from "../../dataProvider/fieldErrors";
import { ADD_GROUP_MEMBER, END_GROUP_MEMBERSHIP } from "../../dataProvider/operations";
import { MembershipStateChip } from "./RegistrantFields";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Memberships as a table; `side` is the registrant shown in each row (the member or the group). */
const MembershipTable = ({
  memberships,
  side,
  canEnd,
  testId,
}: {
  memberships: GroupMembership[];
  side: "individualId" | "groupId";
  canEnd?: boolean;
  testId: string;
}) => {
  const translate = useTranslate();
  const listContext = useList({ data: memberships, perPage: 1000 });
  return (
    <ListContextProvider value={listContext}>
      <Box data-testid={testId}>
        <Datagrid
          bulkActionButtons={false}
          rowClick={false}
          empty={
            <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
              {translate("app.registrant.none")}
            </Typography>
          }
        >
          <ReferenceField
            source={side}
            reference="Registrant"
            link="show"
            label={`resources.Registrant.fields.membership.${side}`}
            sortable={false}
          />
          <ReferenceField
            source="kindId"
            reference="MembershipKind"
            link={false}
            label="resources.Registrant.fields.membership.kindId"
            sortable={false}
          />
          <DateField
            source="startDate"
            label="resources.Registrant.fields.membership.startDate"
            sortable={false}
          />
          <DateField
            source="endDate"
            label="resources.Registrant.fields.membership.endDate"
            sortable={false}
          />
          <MembershipStateChip label="resources.Registrant.fields.membership.state" sortable={false} />
          {canEnd ? <EndMembershipButton /> : null}
        </Datagrid>
      </Box>
    </ListContextProvider>
  );
};

const Heading = ({ title }: { title: string }) => {
  const translate = useTranslate();
  return (
    <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
      {translate(title)}
    </Typography>
  );
};

/** Members of a group, current then past, with "add" and "end" for those who may change them. */
export const MembersOfGroup = (_props: { label?: string | false }) => {
  const record = useRecordContext<Registrant>();
  const { canAccess: canChange } = useCanAccess({ resource: "Registrant", action: "edit" });
  if (!record) return null;
  const members = record.members ?? [];
  return (
    <Stack spacing={2}>
      {canChange ? (
        <Box>
          <AddMemberButton groupId={String(record.id)} />
        </Box>
      ) : null}
      <Heading title="app.registrant.membership.currentMembers" />
      <MembershipTable
        testId="current-members"
        memberships={members.filter((member) => !member.endDate)}
        side="individualId"
        canEnd={canChange}
      />
      <Heading title="app.registrant.membership.pastMembers" />
      <MembershipTable
        testId="past-members"
        memberships={members.filter((member) => !!member.endDate)}
        side="individualId"
      />
    </Stack>
  );
};

/** Groups an individual belongs or belonged to. */
export const GroupsOfIndividual = (_props: { label?: string | false }) => {
  const record = useRecordContext<Registrant>();
  if (!record) return null;
  return <MembershipTable testId="memberships" memberships={record.memberships ?? []} side="groupId" />;
};

/** A new form in the dialog, not the group shown on the page. */
const NO_RECORD = {};

function validateMember(values: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.individualId) errors.individualId = "ra.validation.required";
  if (!values.kindId) errors.kindId = "ra.validation.required";
  return errors;
}

/** Adds an individual to the group (`addGroupMember`); refusals show on the dialog's inputs. */
export const AddMemberButton = ({ groupId }: { groupId: string }) => {
  const client = useApolloClient();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const [open, setOpen] = useState(false);

  const submit = async (values: Record<string, unknown>) => {
    try {
      await client.mutate({
        mutation: ADD_GROUP_MEMBER,
        variables: {
          input: {
            groupId,
            individualId: String(values.individualId),
            kindId: String(values.kindId),
            startDate:
              typeof values.startDate === "string" && values.startDate !== "" ? values.startDate : null,
          },
        },
      });
      notify("app.registrant.membership.notification.added", { type: "success" });
      setOpen(false);
      refresh();
      return undefined;
    } catch (error) {
      const errors = submissionErrorsOf(error, { stripPrefix: "input" });
      if (errors) return errors;
      notify("app.registrant.membership.notification.failed", {
        type: "error",
        messageArgs: { error: messageOf(error) },
      });
      return undefined;
    }
  };

  return (
    <>
      <Button label="app.registrant.membership.add" onClick={() => setOpen(true)} variant="outlined">
        <GroupAddIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <Form record={NO_RECORD} onSubmit={submit} validate={validateMember}>
          <DialogTitle>{translate("app.registrant.membership.add")}</DialogTitle>
          <DialogContent>
            <ReferenceInput
              source="individualId"
              reference="Registrant"
              filter={{ kind: "INDIVIDUAL" }}
              sort={{ field: "name", order: "ASC" }}
            >
              <AutocompleteInput label="resources.Registrant.fields.membership.individualId" />
            </ReferenceInput>
            <ReferenceInput source="kindId" reference="MembershipKind" sort={{ field: "code", order: "ASC" }}>
              <SelectInput label="resources.Registrant.fields.membership.kindId" />
            </ReferenceInput>
            <DateInput source="startDate" label="resources.Registrant.fields.membership.startDate" />
          </DialogContent>
          <DialogActions>
            <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
            <SaveButton label="app.registrant.membership.add" icon={<GroupAddIcon />} />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};

/** Ends a current membership (`endGroupMembership`, today), after confirmation. */
export const EndMembershipButton = (_props: { label?: string }) => {
  const membership = useRecordContext<GroupMembership>();
  const client = useApolloClient();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  if (!membership || membership.endDate) return null;

  const end = async () => {
    setPending(true);
    try {
      await client.mutate({
        mutation: END_GROUP_MEMBERSHIP,
        variables: { input: { id: String(membership.id) } },
      });
      notify("app.registrant.membership.notification.ended", { type: "info" });
      refresh();
    } catch (error) {
      notify("app.registrant.membership.notification.failed", {
        type: "error",
        messageArgs: { error: messageOf(error) },
      });
    } finally {
      setPending(false);
      setOpen(false);
    }
  };

  return (
    <>
      <Button label="app.registrant.membership.end" onClick={() => setOpen(true)} disabled={pending}>
        <LogoutIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={pending}
        title="app.registrant.membership.confirmEnd.title"
        content="app.registrant.membership.confirmEnd.content"
        onConfirm={end}
        onClose={() => setOpen(false)}
      />
    </>
  );
};
