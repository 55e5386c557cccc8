from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hoso.demo"
    label = "demo"
