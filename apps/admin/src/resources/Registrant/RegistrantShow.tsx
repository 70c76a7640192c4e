import { Box, Typography } from "@mui/material";
import type { Registrant } from "@pbms/graphql-types";
import type { ReactElement, ReactNode } from "react";
import {
  ArrayField,
  BooleanField,
  Datagrid,
  DateField,
  EditButton,
  Labeled,
  NumberField,
  Pagination,
  ReferenceField,
  ReferenceManyField,
  Show,
  TabbedShowLayout,
  TextArrayField,
  TextField,
  TopToolbar,
  useCanAccess,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { EnumField } from "../../components/EnumField";
import { AttributesField } from "./AttributesField";
import { RegistrantDocuments } from "./RegistrantDocuments";
import { GroupsOfIndividual, MembersOfGroup } from "./RegistrantMembers";
import { KindChip, StatusChip } from "./RegistrantFields";

const RegistrantShowActions = () => (
  <TopToolbar>
    <EditButton />
  </TopToolbar>
);

const RegistrantTitle = () => {
  const record = useRecordContext<Registrant>();
  const translate = useTranslate();
  return <span>{record ? record.name : translate("resources.Registrant.name", { smart_count: 1 })}</span>;
};

/** A titled block of labelled fields laid out in columns. */
const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <Box component="section" sx={{ mb: 3 }}>
    <SectionTitle title={title} />
    <Box sx={{ display: "grid", gap: 2, gridTemplateColumns: "repeat(auto-fill, minmax(220px, 1fr))" }}>
      {children}
    </Box>
  </Box>
);

/** `<Labeled>` for a field, so the grid shows its translated label above it. */
const L = ({ children }: { children: ReactElement }) => <Labeled>{children}</Labeled>;

const Details = (_props: { label?: string | false }) => {
  const record = useRecordContext<Registrant>();
  if (!record) return null;
  const individual = record.kind === "INDIVIDUAL";
  return (
    <Box data-testid="registrant-details">
      <Section title={individual ? "app.registrant.section.person" : "app.registrant.section.group"}>
        <L>
          <TextField source="name" />
        </L>
        <L>
          <KindChip source="kind" />
        </L>
        {individual ? (
          <L>
            <TextField source="givenName" emptyText="—" />
          </L>
        ) : null}
        {individual ? (
          <L>
            <TextField source="familyName" emptyText="—" />
          </L>
        ) : null}
        {individual && record.additionalName ? (
          <L>
            <TextField source="additionalName" />
          </L>
        ) : null}
        {individual ? (
          <L>
            <DateField source="birthDate" emptyText="—" />
          </L>
        ) : null}
        {individual && record.birthDateNotExact ? (
          <L>
            <BooleanField source="birthDateNotExact" />
          </L>
        ) : null}
        {individual ? (
          <L>
            <NumberField source="age" emptyText="—" />
          </L>
        ) : null}
        {individual ? (
          <L>
            <EnumField source="sex" messageKey={(sex) => `app.registrant.sex.${sex}`} />
          </L>
        ) : null}
      </Section>
      <Section title="app.registrant.section.status">
        <L>
          <StatusChip source="status" />
        </L>
        {record.status === "INACTIVE" ? (
          <L>
            <TextField source="statusReason" />
          </L>
        ) : null}
        {record.status === "DECEASED" ? (
          <L>
            <DateField source="deceasedDate" emptyText="—" />
          </L>
        ) : null}
        <L>
          <DateField source="registrationDate" />
        </L>
        <L>
          <TextArrayField source="tags" emptyText="—" />
        </L>
        {record.externalId ? (
          <L>
            <TextField source="externalId" />
          </L>
        ) : null}
      </Section>
      <Section title="app.registrant.section.address">
        <L>
          <ReferenceField source="gazLargeId" reference="GeoZone" link={false} emptyText="—" />
        </L>
        <L>
          <ReferenceField source="gazSmallId" reference="GeoZone" link={false} emptyText="—" />
        </L>
        <L>
          <TextField source="addressText" emptyText="—" />
        </L>
      </Section>
      <Box component="section" sx={{ mb: 3 }}>
        <SectionTitle title="app.registrant.section.attributes" />
        <AttributesField />
      </Box>
      <Section title="app.registrant.section.record">
        <L>
          <NumberField source="version" />
        </L>
        <L>
          <DateField source="createdAt" showTime />
        </L>
        <L>
          <DateField source="updatedAt" showTime />
        </L>
      </Section>
    </Box>
  );
};

const SectionTitle = ({ title }: { title: string }) => {
  const translate = useTranslate();
  return (
    <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
      {translate(title)}
    </Typography>
  );
};

const Identifiers = (_props: { label?: string | false }) => (
  <ArrayField source="identifiers">
    <Datagrid bulkActionButtons={false} rowClick={false} empty={<Empty />}>
      <ReferenceField
        source="idTypeId"
        reference="IdType"
        link={false}
        label="resources.Registrant.fields.identifiers.idTypeId"
      />
      <TextField source="value" label="resources.Registrant.fields.identifiers.value" />
      <EnumField
        source="status"
        messageKey={(status) => `app.registrant.identifierStatus.${status}`}
        label="resources.Registrant.fields.identifiers.status"
      />
      <DateField source="issuedOn" label="resources.Registrant.fields.identifiers.issuedOn" />
      <DateField source="expiresOn" label="resources.Registrant.fields.identifiers.expiresOn" />
    </Datagrid>
  </ArrayField>
);

const Phones = (_props: { label?: string | false }) => (
  <ArrayField source="phones">
    <Datagrid bulkActionButtons={false} rowClick={false} empty={<Empty />}>
      <TextField source="e164" label="resources.Registrant.fields.phones.number" />
      <TextField source="country" label="resources.Registrant.fields.phones.country" />
      <BooleanField source="isPrimary" label="resources.Registrant.fields.phones.isPrimary" />
    </Datagrid>
  </ArrayField>
);

const Accounts = (_props: { label?: string | false }) => (
  <ArrayField source="financialAddresses">
    <Datagrid bulkActionButtons={false} rowClick={false} empty={<Empty />}>
      <EnumField
        source="kind"
        messageKey={(kind) => `app.registrant.accountKind.${kind}`}
        label="resources.Registrant.fields.financialAddresses.kind"
      />
      <TextField
        source="accountHolder"
        label="resources.Registrant.fields.financialAddresses.accountHolder"
      />
      <TextField source="iban" label="resources.Registrant.fields.financialAddresses.iban" />
      <TextField source="bic" label="resources.Registrant.fields.financialAddresses.bic" />
      <TextField
        source="walletProvider"
        label="resources.Registrant.fields.financialAddresses.walletProvider"
      />
      <TextField source="msisdn" label="resources.Registrant.fields.financialAddresses.msisdn" />
      <BooleanField source="isPrimary" label="resources.Registrant.fields.financialAddresses.isPrimary" />
    </Datagrid>
  </ArrayField>
);

const Empty = () => {
  const translate = useTranslate();
  return (
    <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
      {translate("app.registrant.none")}
    </Typography>
  );
};

/** The registrant's audit trail (admins and auditors). */
const AuditTrail = (_props: { label?: string | false }) => (
  <ReferenceManyField
    reference="AuditEvent"
    target="entityId"
    filter={{ entityType: "Registrant" }}
    sort={{ field: "occurredAt", order: "DESC" }}
    perPage={10}
    pagination={<Pagination />}
  >
    <Datagrid rowClick="show" bulkActionButtons={false} empty={<Empty />}>
      <DateField source="occurredAt" showTime />
      <TextField source="actorName" />
      <TextField source="action" />
    </Datagrid>
  </ReferenceManyField>
);

const RegistrantTabs = () => {
  const record = useRecordContext<Registrant>();
  const { canAccess: canSeeAudit } = useCanAccess({ resource: "AuditEvent", action: "list" });
  if (!record) return null;
  const group = record.kind === "GROUP";
  return (
    <TabbedShowLayout>
      <TabbedShowLayout.Tab label="app.registrant.tab.details">
        <Details label={false} />
      </TabbedShowLayout.Tab>
      {group ? (
        <TabbedShowLayout.Tab label="app.registrant.tab.members" path="members">
          <MembersOfGroup label={false} />
        </TabbedShowLayout.Tab>
      ) : (
        <TabbedShowLayout.Tab label="app.registrant.tab.groups" path="groups">
          <GroupsOfIndividual label={false} />
        </TabbedShowLayout.Tab>
      )}
      <TabbedShowLayout.Tab label="app.registrant.tab.identifiers" path="identifiers">
        <Identifiers label={false} />
      </TabbedShowLayout.Tab>
      <TabbedShowLayout.Tab label="app.registrant.tab.phones" path="phones">
        <Phones label={false} />
      </TabbedShowLayout.Tab>
      <TabbedShowLayout.Tab label="app.registrant.tab.accounts" path="accounts">
        <Accounts label={false} />
      </TabbedShowLayout.Tab>
      <TabbedShowLayout.Tab label="app.registrant.tab.documents" path="documents">
        <RegistrantDocuments label={false} />
      </TabbedShowLayout.Tab>
      {canSeeAudit ? (
        <TabbedShowLayout.Tab label="app.registrant.tab.audit" path="audit">
          <AuditTrail label={false} />
        </TabbedShowLayout.Tab>
      ) : null}
    </TabbedShowLayout>
  );
};

export const RegistrantShow = () => (
  <Show actions={<RegistrantShowActions />} title={<RegistrantTitle />}>
    <RegistrantTabs />
  </Show>
);
