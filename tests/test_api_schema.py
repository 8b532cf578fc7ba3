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


def _schema(client) -> dict:
    return client.get("/api/schema/?format=json").json()


def _walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


UPLOADS = {
    "/api/v1/reports/{code}/photos/",
    "/api/v1/cases/{id}/photos/",
    "/api/v1/cases/{id}/updates/{update_id}/photos/",
    "/api/v1/charities/{id}/logo/",
}


def test_each_operation_takes_one_content_type_and_only_uploads_take_multipart(client, db):
    schema = _schema(client)
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            content = operation["requestBody"]["content"]
            expected = "multipart/form-data" if path in UPLOADS else "application/json"
            assert list(content) == [expected], f"{method.upper()} {path}: {list(content)}"
            if path in UPLOADS:
                body = components[content[expected]["schema"]["$ref"].rsplit("/", 1)[-1]]
                files = [p.get("items", p) for p in body["properties"].values()]
                assert any(f.get("format") == "binary" for f in files), path


def test_null_is_written_one_way_and_references_stand_alone(client, db):
    schema = _schema(client)
    assert schema["openapi"].startswith("3.1")
    for where, node in _walk(schema):
        assert "nullable" not in node, where
        assert "$ref" not in node or len(node) == 1, where


def test_requests_and_responses_agree_on_types(client, db):
    components = _schema(client)["components"]["schemas"]

    def kind(component, name):
        """{(type, format)} a field may take, null aside."""
        field = components[component]["properties"][name]
        found = set()
        for form in [field, *field.get("oneOf", [])]:
            types = form.get("type", [])
            found |= {(one, form.get("format")) for one in ([types] if isinstance(types, str) else types)}
        return found - {("null", None), ("null", "date")}

    assert kind("SlotInputRequest", "weekday") == kind("Slot", "weekday") == {("integer", None)}
    assert kind("PatchedProfileInputRequest", "max_hours_per_week") == kind("Profile", "max_hours_per_week")
    for name in ("birth_date", "paused_until"):  # a request may also send "" to clear the date
        assert kind("Profile", name) == {("string", "date")}
        assert kind("PatchedProfileInputRequest", name) - {("string", None)} == {("string", "date")}
    for component, name in (("Match", "status"), ("Match", "source"), ("MyMatch", "status")):
        assert components[component]["properties"][name]["$ref"].endswith("Enum"), (component, name)
    need = components["NeedRequest"]["properties"]
    assert not {"id", "case", "volunteers_confirmed"} & set(need)
    assert "label" not in components["PreferenceRequest"]["properties"]
