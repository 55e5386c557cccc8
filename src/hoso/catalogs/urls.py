"""Pages of the catalogs app (namespace `catalogs`)."""

app_name = "catalogs"

urlpatterns: list = []
