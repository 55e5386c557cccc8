"""Pages of the workflow app (namespace `workflow`)."""

app_name = "workflow"

urlpatterns: list = []
