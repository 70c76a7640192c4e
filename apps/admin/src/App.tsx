import { ApolloProvider, type ApolloClient } from "@apollo/client";
import { useMemo } from "react";
import { Admin, CustomRoutes, Resource, reactRouterProvider } from "react-admin";
import { AppRuntimeProvider, type AppRuntime } from "./appContext";
import { createAuthProvider } from "./auth/authProvider";
import { Dashboard } from "./dashboard/Dashboard";
import { createDataProvider } from "./dataProvider";
import { createI18nProvider } from "./i18n";
import { Layout } from "./layout/Layout";
import { attributeDefinitions } from "./resources/AttributeDefinition";
import { auditEvents } from "./resources/AuditEvent";
import { DEPARTMENT_SETTINGS_PATH, DepartmentSettings, departments } from "./resources/Department";
import { dataSourceRecords, dataSources } from "./resources/DataSource";
import { dedupRules } from "./resources/DedupRule";
import { duplicateSets } from "./resources/DuplicateSet";
import { IMPORT_PATH, ImportPage } from "./resources/Import";
import { geoZones } from "./resources/GeoZone";
import { idTypes } from "./resources/IdType";
import { jobs } from "./resources/Job";
import { membershipKinds } from "./resources/MembershipKind";
import { registrants } from "./resources/Registrant";
import { userProfiles } from "./resources/UserProfile";

// react-admin's default router is react-router; its <Route> comes through the router provider.
const { Route } = reactRouterProvider;

export interface AppProps extends AppRuntime {
  client: ApolloClient<unknown>;
}

export const App = ({ config, session, client }: AppProps) => {
  const runtime = useMemo(() => ({ config, session }), [config, session]);
  const authProvider = useMemo(() => createAuthProvider(session), [session]);
  const dataProvider = useMemo(() => createDataProvider(client), [client]);
  const i18nProvider = useMemo(() => createI18nProvider(), []);

  return (
    <AppRuntimeProvider value={runtime}>
      <ApolloProvider client={client}>
        <Admin
          title="app.title"
          dataProvider={dataProvider}
          authProvider={authProvider}
          i18nProvider={i18nProvider}
          dashboard={Dashboard}
          layout={Layout}
          requireAuth
          disableTelemetry
        >
          <Resource name="Registrant" {...registrants} />
          <Resource name="GeoZone" {...geoZones} />
          <Resource name="IdType" {...idTypes} />
          <Resource name="MembershipKind" {...membershipKinds} />
          <Resource name="AttributeDefinition" {...attributeDefinitions} />
          <Resource name="DuplicateSet" {...duplicateSets} />
          <Resource name="DedupRule" {...dedupRules} />
          <Resource name="DataSource" {...dataSources} />
          <Resource name="DataSourceRecord" {...dataSourceRecords} />
          <Resource name="AuditEvent" {...auditEvents} />
          <Resource name="Job" {...jobs} />
          <Resource name="UserProfile" {...userProfiles} />
          <Resource name="Department" {...departments} />
          <CustomRoutes>
            <Route path={DEPARTMENT_SETTINGS_PATH} element={<DepartmentSettings />} />
            <Route path={IMPORT_PATH} element={<ImportPage />} />
          </CustomRoutes>
        </Admin>
      </ApolloProvider>
    </AppRuntimeProvider>
  );
};
