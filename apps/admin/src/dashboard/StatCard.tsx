import { Card, CardContent, Skeleton, Typography } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";

/** One figure of the dashboard; a skeleton until the value is known. */
export const StatCard = ({
  label,
  value,
  testId,
}: {
  label: string;
  value: number | string | undefined;
  testId: string;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Card data-testid={`stat-${testId}`}>
      <CardContent>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {translate(label)}
        </Typography>
        {/* Counts large; text values (a date) smaller so they fit the card. */}
        <Typography variant={typeof value === "string" ? "h6" : "h4"} component="p">
          {value === undefined ? (
            <Skeleton width="40%" />
          ) : typeof value === "number" ? (
            new Intl.NumberFormat(locale).format(value)
          ) : (
            value
          )}
        </Typography>
      </CardContent>
    </Card>
  );
};
