import { useRecordContext, useTranslate } from "react-admin";

export const JobTypeField = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<{ id: string; type: string }>();
  const translate = useTranslate();
  if (!record) return null;
  return <span>{translate(`app.job.type.${record.type}`, { _: record.type })}</span>;
};
