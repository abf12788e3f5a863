app_name = "assistant"

urlpatterns: list = []
