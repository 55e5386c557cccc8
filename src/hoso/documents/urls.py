"""Pages of the documents app (namespace `documents`)."""

app_name = "documents"

urlpatterns: list = []
