import { TablePagination, type TablePaginationActionsProps, Toolbar, Typography } from "@mui/material";
import type { ChangeEvent, ComponentType, MouseEvent } from "react";
import { PaginationActions, useListContext, useLocaleState, useTranslate } from "react-admin";
import type { EstimatedTotal } from "../../dataProvider/estimatedTotal";
import { lastPage, registrantTotal } from "./registrantTotal";

const ROWS_PER_PAGE = [10, 25, 50, 100];

// react-admin's page buttons, typed by react-admin with a DOM event where Material UI passes React's.
const Actions = PaginationActions as unknown as ComponentType<TablePaginationActionsProps>;

/**
 * Pagination of the registry: "1–25 of 1,234", "1–25 of about 1,300,000" or
 * "1–25 of 10,000+" when the API estimated the count, with pages up to the first
 * 10,000 rows and, on the last of them, a hint to narrow the filters or export.
 */
export const RegistrantPagination = () => {
  const { isPending, page, perPage, total, meta, setPage, setPerPage } = useListContext();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const described = registrantTotal(total, meta as Partial<EstimatedTotal> | undefined);
  const last = lastPage(described, perPage);
  if (isPending) return <Toolbar variant="dense" />;
  if (!described || last === undefined || page > last) return null;

  const format = (n: number) => n.toLocaleString(locale);
  const totalText =
    described.kind === "exact"
      ? format(described.count)
      : translate(`app.registrant.list.${described.kind}`, { count: format(described.count) });
  return (
    <>
      <TablePagination
        component="span"
        count={described.reachable}
        page={page - 1}
        rowsPerPage={perPage}
        rowsPerPageOptions={ROWS_PER_PAGE}
        onPageChange={(event: MouseEvent<HTMLButtonElement> | null, next: number) => {
          event?.stopPropagation();
          setPage(next + 1);
        }}
        onRowsPerPageChange={(event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
          setPerPage(Number(event.target.value))
        }
        ActionsComponent={Actions}
        labelRowsPerPage={translate("ra.navigation.page_rows_per_page")}
        labelDisplayedRows={({ from, to }) =>
          translate("app.registrant.list.range", { from: format(from), to: format(to), total: totalText })
        }
      />
      {described.kind !== "exact" && page === last && (
        <Typography variant="caption" color="text.secondary" sx={{ display: "block", px: 2, pb: 1 }}>
          {translate("app.registrant.list.deepPages", { limit: format(described.reachable) })}
        </Typography>
      )}
    </>
  );
};
