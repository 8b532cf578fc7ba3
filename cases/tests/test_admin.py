import pytest
from django.contrib import admin

from cases.tests.factories import CaseFactory, NeedFactory, ReportFactory

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m._meta.app_label in ("cases", "charities")]


def test_every_cases_and_charities_model_is_in_the_admin():
    from django.apps import apps

    ours = {m for app in ("cases", "charities") for m in apps.get_app_config(app).get_models()}
    assert ours == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_admin_list_and_search_works(admin_client, model):
    NeedFactory()
    ReportFactory()
    CaseFactory(charity=None)
    url = f"/en/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "أسرة"}).status_code == 200
