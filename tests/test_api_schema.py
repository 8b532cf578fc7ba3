from django.core.management import call_command


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/regions/" in target.read_text()


def test_every_operation_documents_the_error_shape(client, db):
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "403", "404", "429"):
                assert code in operation["responses"], f"{method.upper()} {path} lacks {code}"
