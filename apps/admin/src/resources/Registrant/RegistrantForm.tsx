import { Box, Typography } from "@mui/material";
import type { AttributeDefinition } from "@pbms/graphql-types";
import type { ReactNode } from "react";
import { useMemo } from "react";
import {
  ArrayInput,
  AutocompleteInput,
  BooleanInput,
  DateInput,
  FormDataConsumer,
  RadioButtonGroupInput,
  ReferenceInput,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextArrayInput,
  TextInput,
  useTranslate,
} from "react-admin";
import { useFormContext, useWatch } from "react-hook-form";
import { AttributeInputs } from "./AttributeInputs";
import { KindChip } from "./RegistrantFields";
import {
  accountKindChoices,
  identifierStatusChoices,
  kindChoices,
  memberEntryChoices,
  sexChoices,
  statusChoices,
} from "./registrantChoices";
import { registrantValidator } from "./registrantValidation";

/** Reference choices in alphabetical order. */
const BY_NAME = { field: "name", order: "ASC" } as const;

const Section = ({ title, children }: { title: string; children: ReactNode }) => {
  const translate = useTranslate();
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 2, width: "100%", minWidth: 0 }}>
      <Typography variant="subtitle1" component="legend" sx={{ fontWeight: 600, mb: 1 }}>
        {translate(title)}
      </Typography>
      {children}
    </Box>
  );
};

/** Inputs side by side in columns, wrapping on narrow screens. */
const Row = ({ children }: { children: ReactNode }) => (
  <Box
    sx={{
      display: "grid",
      columnGap: 2,
      alignItems: "center",
      gridTemplateColumns: "repeat(auto-fill, minmax(240px, 1fr))",
    }}
  >
    {children}
  </Box>
);

const IndividualInputs = () => (
  <Section title="app.registrant.section.person">
    <Row>
      <TextInput source="givenName" />
      <TextInput source="familyName" />
      <TextInput source="additionalName" />
    </Row>
    <Row>
      <DateInput source="birthDate" />
      <BooleanInput source="birthDateNotExact" />
      <SelectInput source="sex" choices={sexChoices} />
    </Row>
  </Section>
);

const GroupInputs = () => (
  <Section title="app.registrant.section.group">
    <Row>
      <TextInput source="name" />
    </Row>
  </Section>
);

const StatusInputs = () => {
  const status = useWatch({ name: "status" }) as string | undefined;
  return (
    <Section title="app.registrant.section.status">
      <Row>
        <SelectInput source="status" choices={statusChoices} />
        {status === "INACTIVE" ? <TextInput source="statusReason" /> : null}
        {status === "DECEASED" ? <DateInput source="deceasedDate" /> : null}
        <DateInput source="registrationDate" />
      </Row>
      <TextArrayInput source="tags" />
    </Section>
  );
};

/**
 * GAZ-large then GAZ-small zone: the small zones offered lie in the chosen large one,
 * changing the large zone clears the small one, and choosing a small zone first fills in
 * its large zone.
 */
const ZoneInputs = () => {
  const large = useWatch({ name: "gazLargeId" }) as string | null | undefined;
  const { setValue, getValues } = useFormContext();
  return (
    <Section title="app.registrant.section.address">
      <Row>
        <ReferenceInput source="gazLargeId" reference="GeoZone" filter={{ level: "LARGE" }} sort={BY_NAME}>
          <AutocompleteInput
            onChange={(value) => {
              if (value !== large && getValues("gazSmallId"))
                setValue("gazSmallId", null, { shouldDirty: true });
            }}
          />
        </ReferenceInput>
        <ReferenceInput
          source="gazSmallId"
          reference="GeoZone"
          filter={large ? { level: "SMALL", parentId: large } : { level: "SMALL" }}
          sort={BY_NAME}
        >
          <AutocompleteInput
            onChange={(_value, zone) => {
              // A locality lies in one region: fill it in when it is not chosen yet.
              const parentId = zone && !Array.isArray(zone) ? (zone.parentId as string | null) : null;
              if (parentId && parentId !== large) setValue("gazLargeId", parentId, { shouldDirty: true });
            }}
          />
        </ReferenceInput>
      </Row>
      <TextInput source="addressText" multiline fullWidth />
    </Section>
  );
};

const IdentifierInputs = () => (
  <Section title="app.registrant.section.identifiers">
    <ArrayInput source="identifiers" label={false}>
      <SimpleFormIterator inline disableReordering>
        <ReferenceInput source="idTypeId" reference="IdType" sort={{ field: "name", order: "ASC" }}>
          <SelectInput sx={{ minWidth: 180 }} />
        </ReferenceInput>
        <TextInput source="value" />
        <SelectInput source="status" choices={identifierStatusChoices} defaultValue="VALID" />
        <DateInput source="issuedOn" />
        <DateInput source="expiresOn" />
      </SimpleFormIterator>
    </ArrayInput>
  </Section>
);

const PhoneInputs = () => (
  <Section title="app.registrant.section.phones">
    <ArrayInput source="phones" label={false}>
      <SimpleFormIterator inline disableReordering>
        <TextInput source="number" />
        <TextInput source="country" sx={{ width: 120 }} />
        <BooleanInput source="isPrimary" />
      </SimpleFormIterator>
    </ArrayInput>
  </Section>
);

const AccountInputs = () => (
  <Section title="app.registrant.section.accounts">
    <ArrayInput source="financialAddresses" label={false}>
      <SimpleFormIterator inline disableReordering>
        <SelectInput source="kind" choices={accountKindChoices} />
        <TextInput source="accountHolder" />
        <FormDataConsumer<{ kind?: string }>>
          {({ scopedFormData }) =>
            scopedFormData?.kind === "MOBILE_WALLET" ? (
              <>
                <TextInput source="msisdn" />
                <TextInput source="walletProvider" />
              </>
            ) : (
              <>
                <TextInput source="iban" />
                <TextInput source="bic" />
              </>
            )
          }
        </FormDataConsumer>
        <BooleanInput source="isPrimary" />
      </SimpleFormIterator>
    </ArrayInput>
  </Section>
);

/**
 * A new person in a member row, registered with the group: names, birth date, sex, one
 * identifier and one phone. Sources follow the API's `members.<i>.individual.…` paths,
 * so its refusals show on these inputs.
 */
const NewMemberInputs = () => (
  <Row>
    <TextInput source="individual.givenName" label="resources.Registrant.fields.givenName" />
    <TextInput source="individual.familyName" label="resources.Registrant.fields.familyName" />
    <DateInput source="individual.birthDate" label="resources.Registrant.fields.birthDate" />
    <SelectInput source="individual.sex" choices={sexChoices} label="resources.Registrant.fields.sex" />
    <ReferenceInput source="individual.identifiers.0.idTypeId" reference="IdType" sort={BY_NAME}>
      <SelectInput label="resources.Registrant.fields.identifiers.idTypeId" />
    </ReferenceInput>
    <TextInput
      source="individual.identifiers.0.value"
      label="resources.Registrant.fields.identifiers.value"
    />
    <TextInput source="individual.phones.0.number" label="resources.Registrant.fields.phones.number" />
    <TextInput source="individual.phones.0.country" label="resources.Registrant.fields.phones.country" />
  </Row>
);

/** One member row: an individual already registered or a new person, role and first day. */
const MemberRow = ({ isNew }: { isNew: boolean }) => (
  <Box sx={{ width: "100%" }}>
    <Row>
      <RadioButtonGroupInput source="entry" choices={memberEntryChoices} defaultValue="existing" />
      {isNew ? null : (
        <ReferenceInput
          source="individualId"
          reference="Registrant"
          filter={{ kind: "INDIVIDUAL" }}
          sort={BY_NAME}
        >
          <AutocompleteInput />
        </ReferenceInput>
      )}
      <ReferenceInput source="kindId" reference="MembershipKind" sort={{ field: "code", order: "ASC" }}>
        <SelectInput />
      </ReferenceInput>
      <DateInput source="startDate" />
    </Row>
    {isNew ? <NewMemberInputs /> : null}
  </Box>
);

/**
 * Members of a new group, registered with it in one step: each row picks an individual
 * already registered or enters a new person.
 */
const MemberInputs = () => (
  <Section title="app.registrant.section.members">
    <ArrayInput source="members" label={false}>
      <SimpleFormIterator disableReordering fullWidth>
        <FormDataConsumer<{ entry?: string }>>
          {({ scopedFormData }) => <MemberRow isNew={scopedFormData?.entry === "new"} />}
        </FormDataConsumer>
      </SimpleFormIterator>
    </ArrayInput>
  </Section>
);

const KindInputs = ({ creating }: { creating: boolean }) => {
  const kind = useWatch({ name: "kind" }) as string | undefined;
  return (
    <>
      {creating ? (
        <RadioButtonGroupInput source="kind" choices={kindChoices} />
      ) : (
        <Box sx={{ mb: 2 }}>
          <KindChip />
        </Box>
      )}
      {kind === "GROUP" ? <GroupInputs /> : <IndividualInputs />}
      <StatusInputs />
      <ZoneInputs />
    </>
  );
};

const KindDependentLists = ({ creating }: { creating: boolean }) => {
  const kind = useWatch({ name: "kind" }) as string | undefined;
  return creating && kind === "GROUP" ? <MemberInputs /> : null;
};

/** Values of a new registrant: a person, active, with empty lists. */
export const NEW_REGISTRANT = {
  kind: "INDIVIDUAL",
  status: "ACTIVE",
  tags: [],
  attributes: {},
  identifiers: [],
  phones: [],
  financialAddresses: [],
  members: [],
};

/**
 * The registrant form of the create and edit pages: kind (chosen on create), the fields
 * of that kind, status, address, attributes of the department, identifiers, phones,
 * accounts and, for a new group, its members.
 */
export const RegistrantForm = ({
  creating,
  definitions,
  record,
}: {
  creating: boolean;
  definitions: AttributeDefinition[] | undefined;
  record?: Record<string, unknown>;
}) => {
  const validate = useMemo(() => registrantValidator(definitions), [definitions]);
  return (
    <SimpleForm
      validate={validate}
      defaultValues={creating ? NEW_REGISTRANT : undefined}
      {...(record ? { record: record as { id: string } } : {})}
      warnWhenUnsavedChanges
    >
      <KindInputs creating={creating} />
      <Section title="app.registrant.section.attributes">
        <AttributeInputs definitions={definitions} />
      </Section>
      <IdentifierInputs />
      <PhoneInputs />
      <AccountInputs />
      <KindDependentLists creating={creating} />
    </SimpleForm>
  );
};
