"""Users: every account, its role and theme groups, last sign-in; add, disable, enable,
change role, set a password. Administrators only (the writes check it too)."""

import streamlit as st

from analytics.access import ROLES
from analytics.warehouse import accounts
from ui import auth
from ui.context import page_guard
from ui.data import current_path, query

page_guard()
user = auth.current_user()
path = current_path()
st.title("Users")
st.caption(
    "Who may sign in and with which role. Passwords: at least 10 characters and not one of "
    "the commonest; no other rules, no expiry. Five failed sign-ins lock an account for 15 "
    "minutes; setting its password clears that."
)
if done := st.session_state.pop("users_done", None):
    st.success(done, icon=":material/check_circle:")
listing = accounts.list_accounts(path)
st.dataframe(
    listing.rename(columns={"email": "Email", "display_name": "Name", "roles": "Role",
                            "theme_groups": "Theme groups", "state": "State",
                            "has_password": "Password set", "created_at": "Created",
                            "last_signed_in_at": "Last signed in"}),
    hide_index=True,
)  # fmt: skip
partnerships = query("partnerships")
codes = {None: "Every partnership", **dict(zip(partnerships["partnership_code"],
                                               partnerships["name"], strict=True))}  # fmt: skip


def _role_fields(prefix: str):
    role = st.selectbox("Role", list(ROLES), format_func=auth.ROLE_WORDS.get, key=f"{prefix}_role")
    code = st.selectbox("Partnership", list(codes), format_func=codes.get, key=f"{prefix}_p")
    themes = []
    if role == "theme_lead":
        pid = (
            None
            if code is None
            else int(
                partnerships.loc[partnerships["partnership_code"] == code, "partnership_id"].iloc[0]
            )
        )
        names = [] if pid is None else query("themes", pid)["theme"].tolist()
        themes = st.multiselect("Theme groups they lead", names, key=f"{prefix}_themes")
    return role, code, themes


def _apply(action, message: str) -> None:
    try:
        action()
    except accounts.AccountError as exc:
        st.error(str(exc), icon=":material/error:")
    else:
        st.session_state["users_done"] = message
        st.rerun()


tab_add, tab_change = st.tabs(["Add an account", "Change an account"])
with tab_add:
    email = st.text_input("Email", key="ua_email")
    name = st.text_input("Name", key="ua_name")
    role, code, themes = _role_fields("ua")
    password = st.text_input("Password (leave empty: single sign-on only)", type="password",
                             key="ua_password")  # fmt: skip
    if st.button("Add account", type="primary", key="ua_go"):
        _apply(lambda: accounts.add_account(path, email, name, role, user=user, themes=themes,
                                            partnership=code, password=password or None),
               f"Added {email.strip().lower()} ({auth.ROLE_WORDS[role]}).")  # fmt: skip

with tab_change:
    target = st.selectbox("Account", listing["email"].tolist(), index=None, key="uc_email")
    if target:
        state = listing.set_index("email").loc[target, "state"]
        c1, c2 = st.columns(2)
        with c1:
            st.markdown("**Role**")
            role, code, themes = _role_fields("uc")
            if st.button("Change role", key="uc_role_go"):
                _apply(lambda: accounts.set_role(path, target, role, user=user, themes=themes,
                                                 partnership=code),
                       f"{target}: now {auth.ROLE_WORDS[role]}.")  # fmt: skip
        with c2:
            st.markdown("**Password**")
            new = st.text_input("New password", type="password", key="uc_password")
            if st.button("Set password", key="uc_password_go", disabled=not new):
                _apply(lambda: accounts.set_password(path, target, new, user=user),
                       f"{target}: password set (any lock-out cleared).")  # fmt: skip
            st.markdown("**Access**")
            if state == "disabled":
                if st.button("Enable account", key="uc_enable"):
                    _apply(lambda: accounts.set_disabled(path, target, False, user=user),
                           f"{target}: enabled.")  # fmt: skip
            elif st.button("Disable account", key="uc_disable"):
                _apply(lambda: accounts.set_disabled(path, target, True, user=user),
                       f"{target}: disabled; their sessions have ended.")  # fmt: skip
