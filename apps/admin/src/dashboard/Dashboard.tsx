import { useQuery } from "@apollo/client";
import { Alert, Box, Card, CardContent, Stack, Typography } from "@mui/material";
import { Title, useGetIdentity, useLocaleState, usePermissions, useTranslate } from "react-admin";
import { appRolesOf } from "../auth/access";
import { DASHBOARD_STATS, REGISTRY_COUNTS } from "../dataProvider/operations";
import { registrantTotal } from "../resources/Registrant/registrantTotal";
import { StatCard } from "./StatCard";
import { useFormatDateTime } from "./useFormatDateTime";

/** Refresh the figures every 30 s while the dashboard is open. */
const POLL_INTERVAL_MS = 30_000;

const Welcome = () => {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { permissions } = usePermissions<string[]>();
  const roles = appRolesOf(permissions);
  return (
    <Box data-testid="dashboard-welcome">
      <Typography variant="h6" component="p">
        {translate("app.dashboard.welcome", { name: identity?.fullName ?? "" })}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {roles.length > 0
          ? translate("app.dashboard.roles", {
              roles: roles.map((role) => translate(`app.roles.${role}`)).join(", "),
            })
          : translate("app.dashboard.noRoles")}
      </Typography>
    </Box>
  );
};

/** Home page: the server-side aggregate `dashboardStats` (never computed from pages in the browser). */
export const Dashboard = () => {
  const translate = useTranslate();
  const formatDateTime = useFormatDateTime();
  const { data, loading, error } = useQuery(DASHBOARD_STATS, {
    fetchPolicy: "cache-and-network",
    pollInterval: POLL_INTERVAL_MS,
  });
  const stats = data?.dashboardStats;
  // Registry counts: server-side counts of the registrant list (dashboardStats has none yet).
  const registry = useQuery(REGISTRY_COUNTS, {
    fetchPolicy: "cache-and-network",
    pollInterval: POLL_INTERVAL_MS,
  });
  const [locale] = useLocaleState();
  // A count above the exact limit is an estimate: "about 1,300,000" rather than false precision.
  const registryFigure = (meta: { count: number; estimated: boolean; exactLimit: number } | undefined) => {
    if (registry.error) return translate("app.json.empty");
    const total = registrantTotal(meta?.count, meta);
    if (!total || total.kind === "exact") return total?.count;
    return translate(`app.registrant.list.${total.kind}`, { count: total.count.toLocaleString(locale) });
  };

  return (
    <Stack spacing={3} sx={{ mt: 2 }}>
      <Title title="app.dashboard.title" />
      <Card>
        <CardContent>
          <Typography variant="h4" component="h1" gutterBottom>
            {translate("app.dashboard.title")}
          </Typography>
          <Welcome />
        </CardContent>
      </Card>
      {error && !stats ? <Alert severity="error">{translate("app.dashboard.loadError")}</Alert> : null}
      <Box
        data-testid="dashboard-stats"
        aria-busy={loading && !stats}
        sx={{ display: "grid", gap: 2, gridTemplateColumns: "repeat(auto-fill, minmax(200px, 1fr))" }}
      >
        <StatCard
          testId="individuals"
          label="app.dashboard.stats.individuals"
          value={registryFigure(registry.data?.individuals)}
        />
        <StatCard
          testId="groups"
          label="app.dashboard.stats.groups"
          value={registryFigure(registry.data?.groups)}
        />
        <StatCard
          testId="auditEventsToday"
          label="app.dashboard.stats.auditEventsToday"
          value={stats?.auditEventsToday}
        />
        <StatCard testId="jobsRunning" label="app.dashboard.stats.jobsRunning" value={stats?.jobsRunning} />
        <StatCard testId="jobsFailed" label="app.dashboard.stats.jobsFailed" value={stats?.jobsFailed} />
        <StatCard testId="users" label="app.dashboard.stats.users" value={stats?.users} />
        <StatCard
          testId="lastSignInAt"
          label="app.dashboard.stats.lastSignInAt"
          value={
            stats === undefined
              ? undefined
              : stats.lastSignInAt
                ? formatDateTime(stats.lastSignInAt)
                : translate("app.dashboard.never")
          }
        />
      </Box>
    </Stack>
  );
};
