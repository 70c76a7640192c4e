import CallMergeIcon from "@mui/icons-material/CallMerge";
import DoNotDisturbIcon from "@mui/icons-material/DoNotDisturb";
import UndoIcon from "@mui/icons-material/Undo";
import { useApolloClient } from "@apollo/client";
import { Box, Card, CardContent, Stack, Typography } from "@mui/material";
import type { DuplicateSet, Registrant, RegistrantMerge } from "@pbms/graphql-types";
import type { DocumentNode } from "graphql";
import { type ReactElement, useState } from "react";
import {
  Button,
  Confirm,
  DateField,
  Labeled,
  Link,
  NumberField,
  RecordContextProvider,
  ReferenceField,
  Show,
  SimpleShowLayout,
  TextField,
  useCanAccess,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { EnumField } from "../../components/EnumField";
import { MARK_NOT_DUPLICATE, MERGE_REGISTRANTS, REVERT_MERGE } from "../../dataProvider/operations";
import { StatusChip } from "../Registrant/RegistrantFields";
import { SetStatusChip } from "./DuplicateSetFields";
import { messageOf } from "./FindDuplicatesButton";
import { REVIEW_MEMBER_FIELDS } from "./dedupChoices";

/** Runs a decision mutation, tells the outcome and re-reads the set. */
function useDecision() {
  const client = useApolloClient();
  const notify = useNotify();
  const refresh = useRefresh();
  const [pending, setPending] = useState(false);
  const run = async (mutation: DocumentNode, variables: Record<string, unknown>, done: string) => {
    setPending(true);
    try {
      await client.mutate({ mutation, variables });
      notify(done, { type: "success" });
      refresh();
      return true;
    } catch (error) {
      notify("app.dedup.notification.failed", { type: "error", messageArgs: { error: messageOf(error) } });
      return false;
    } finally {
      setPending(false);
    }
  };
  return { run, pending };
}

const L = ({ children, label }: { children: ReactElement; label?: string }) => (
  <Labeled label={label}>{children}</Labeled>
);

/** A labelled list of values (identifiers, phones). */
const Values = ({ label, values }: { label: string; values: ReactElement[] }) => {
  const translate = useTranslate();
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        {translate(label)}
      </Typography>
      {values.length === 0 ? (
        <Typography variant="body2">—</Typography>
      ) : (
        values.map((value) => (
          <Typography variant="body2" component="div" key={value.key}>
            {value}
          </Typography>
        ))
      )}
    </Box>
  );
};

/** One member of the set, as one column of the side-by-side review. */
const MemberColumn = ({ set, member }: { set: DuplicateSet; member: Registrant }) => {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const { canAccess: canDecide } = useCanAccess({ resource: "DuplicateSet", action: "edit" });
  const { run, pending } = useDecision();
  const merge = async () => {
    await run(
      MERGE_REGISTRANTS,
      { input: { setId: set.id, survivorId: member.id } },
      "app.dedup.notification.merged",
    );
    setOpen(false);
  };
  return (
    <RecordContextProvider value={member}>
      <Card variant="outlined" data-testid="duplicate-member" sx={{ minWidth: 240, flex: 1 }}>
        <CardContent sx={{ display: "flex", flexDirection: "column", gap: 1.5 }}>
          <Typography variant="h6" component="h2">
            <Link to={`/Registrant/${member.id}/show`}>{member.name}</Link>
          </Typography>
          <L label="resources.Registrant.fields.birthDate">
            <DateField source="birthDate" emptyText="—" />
          </L>
          <L label="resources.Registrant.fields.sex">
            <EnumField source="sex" messageKey={(sex) => `app.registrant.sex.${sex}`} />
          </L>
          <L label="resources.Registrant.fields.gazSmallId">
            <ReferenceField source="gazSmallId" reference="GeoZone" link={false} emptyText="—" />
          </L>
          <Values
            label="app.dedup.identifiers"
            values={(member.identifiers ?? []).map((identifier) => (
              <span key={identifier.id}>
                <RecordContextProvider value={identifier}>
                  <ReferenceField source="idTypeId" reference="IdType" link={false} />
                </RecordContextProvider>
                {": "}
                {identifier.value}
              </span>
            ))}
          />
          <Values
            label="app.dedup.phones"
            values={(member.phones ?? []).map((phone) => (
              <span key={phone.id}>{phone.e164}</span>
            ))}
          />
          <Values
            label="app.dedup.accounts"
            values={(member.financialAddresses ?? []).map((account) => (
              <span key={account.id}>{account.fa}</span>
            ))}
          />
          <L label="resources.Registrant.fields.registrationDate">
            <DateField source="registrationDate" />
          </L>
          <L label="resources.Registrant.fields.status">
            <StatusChip source="status" />
          </L>
          {member.statusReason ? (
            <L label="resources.Registrant.fields.statusReason">
              <TextField source="statusReason" />
            </L>
          ) : null}
          {canDecide && set.status === "OPEN" ? (
            <Box>
              <Button
                variant="contained"
                label="app.dedup.action.merge"
                onClick={() => setOpen(true)}
                disabled={pending}
              >
                <CallMergeIcon />
              </Button>
              <Confirm
                isOpen={open}
                loading={pending}
                title="app.dedup.confirmMerge.title"
                content={translate("app.dedup.confirmMerge.content", { name: member.name })}
                onConfirm={merge}
                onClose={() => setOpen(false)}
              />
            </Box>
          ) : null}
        </CardContent>
      </Card>
    </RecordContextProvider>
  );
};

const NotDuplicateButton = ({ set }: { set: DuplicateSet }) => {
  const { canAccess } = useCanAccess({ resource: "DuplicateSet", action: "edit" });
  const { run, pending } = useDecision();
  if (!canAccess || set.status !== "OPEN") return null;
  return (
    <Button
      label="app.dedup.action.notDuplicate"
      variant="outlined"
      disabled={pending}
      onClick={() =>
        run(MARK_NOT_DUPLICATE, { input: { setId: set.id } }, "app.dedup.notification.notDuplicate")
      }
    >
      <DoNotDisturbIcon />
    </Button>
  );
};

const RevertMergeButton = ({ merge }: { merge: RegistrantMerge }) => {
  const { canAccess } = useCanAccess({ resource: "DuplicateSet", action: "edit" });
  const { run, pending } = useDecision();
  const [open, setOpen] = useState(false);
  if (!canAccess || merge.revertedAt) return null;
  const revert = async () => {
    await run(REVERT_MERGE, { input: { mergeId: merge.id } }, "app.dedup.notification.reverted");
    setOpen(false);
  };
  return (
    <>
      <Button
        label="app.dedup.action.revert"
        color="warning"
        onClick={() => setOpen(true)}
        disabled={pending}
      >
        <UndoIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={pending}
        title="app.dedup.confirmRevert.title"
        content="app.dedup.confirmRevert.content"
        onConfirm={revert}
        onClose={() => setOpen(false)}
      />
    </>
  );
};

/** The merges made from the set, each revertable until reverted. */
const Merges = ({ set }: { set: DuplicateSet }) => {
  const translate = useTranslate();
  const names = new Map((set.members ?? []).map((member) => [member.id, member.name]));
  if (!set.merges || set.merges.length === 0) return null;
  return (
    <Box component="section" data-testid="duplicate-merges">
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
        {translate("app.dedup.merges")}
      </Typography>
      {set.merges.map((merge) => (
        <Stack key={merge.id} direction="row" spacing={2} sx={{ alignItems: "center", mb: 1 }}>
          <Typography variant="body2">
            {translate("app.dedup.mergeLine", {
              merged: names.get(merge.mergedId) ?? merge.mergedId,
              survivor: names.get(merge.survivorId) ?? merge.survivorId,
              by: merge.mergedBy,
              at: new Date(merge.mergedAt).toLocaleString(),
            })}
            {merge.revertedAt
              ? ` — ${translate("app.dedup.revertedAt", { at: new Date(merge.revertedAt).toLocaleString() })}`
              : ""}
          </Typography>
          <RevertMergeButton merge={merge} />
        </Stack>
      ))}
    </Box>
  );
};

const Review = (_props: { label?: string | false }) => {
  const set = useRecordContext<DuplicateSet>();
  if (!set) return null;
  return (
    <Box sx={{ display: "flex", flexDirection: "column", gap: 2 }}>
      <Box
        sx={{ display: "flex", gap: 2, alignItems: "stretch", overflowX: "auto" }}
        data-testid="duplicate-members"
      >
        {(set.members ?? []).map((member) => (
          <MemberColumn key={member.id} set={set} member={member} />
        ))}
      </Box>
      <Box>
        <NotDuplicateButton set={set} />
      </Box>
      <Merges set={set} />
    </Box>
  );
};

/** Reviews a set: its members side by side, then not-a-duplicate, merge or revert. */
export const DuplicateSetShow = () => (
  <Show
    queryOptions={{
      meta: {
        sparseFields: [
          "id",
          "rule",
          "score",
          "status",
          "createdAt",
          "decidedAt",
          "decidedBy",
          "jobId",
          "registrantIds",
          "merges",
          { members: REVIEW_MEMBER_FIELDS },
        ],
      },
    }}
  >
    <SimpleShowLayout>
      <EnumField source="rule" messageKey={(rule) => `app.dedup.rule.${rule}`} />
      <NumberField source="score" options={{ maximumFractionDigits: 2 }} />
      <SetStatusChip source="status" />
      <DateField source="decidedAt" showTime emptyText="—" />
      <TextField source="decidedBy" emptyText="—" />
      <Review label={false} />
    </SimpleShowLayout>
  </Show>
);
