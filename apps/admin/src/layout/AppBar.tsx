import { Typography } from "@mui/material";
import { AppBar as RaAppBar, Logout, TitlePortal, UserMenu, useTranslate } from "react-admin";

/** App title, page title, locale switcher (react-admin's default toolbar) and the user menu. */
export const AppBar = () => {
  const translate = useTranslate();
  return (
    <RaAppBar
      userMenu={
        <UserMenu>
          <Logout />
        </UserMenu>
      }
    >
      <Typography variant="h6" component="span" sx={{ fontWeight: 700, mr: 2 }} data-testid="app-title">
        {translate("app.title")}
      </Typography>
      <TitlePortal />
    </RaAppBar>
  );
};
