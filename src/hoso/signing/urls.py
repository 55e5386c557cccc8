"""Pages of the signing app (namespace `signing`)."""

app_name = "signing"

urlpatterns: list = []
