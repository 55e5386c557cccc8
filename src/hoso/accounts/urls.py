"""Pages of the accounts app (namespace `accounts`): the login flow, "my account",
accounts, roles, written-consent grants and delegations."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # the login flow (AccountStateMiddleware.OPEN_PAGES)
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("me/", views.my_account, name="my_account"),
    # accounts
    path("", views.account_list, name="account_list"),
    path("new/", views.account_create, name="account_create"),
    path("new/bulk/", views.account_bulk_create, name="account_bulk_create"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:pk>/reset-password/", views.account_reset_password, name="account_reset_password"),
    path("<int:pk>/active/", views.account_set_active, name="account_set_active"),
    path("<int:pk>/reset-2fa/", views.account_reset_otp, name="account_reset_otp"),
    # roles
    path("<int:pk>/roles/new/", views.role_grant, name="role_grant"),
    path("roles/<int:pk>/", views.role_update, name="role_update"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    # written-consent grants
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    # delegations of a review role (ủy quyền)
    path("delegations/", views.delegation_list, name="delegation_list"),
    path("delegations/new/", views.delegation_create, name="delegation_create"),
    path("delegations/<int:pk>/", views.delegation_detail, name="delegation_detail"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
]
