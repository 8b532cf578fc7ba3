"""docs/api.md's worked example, replayed: each curl command of the section, in order,
through the Django test client, must answer the status its `# → NNN` comment shows;
`VAR=$(curl … | jq -r PATH)` sets a variable the later commands use."""

import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings as django_settings

DOC = Path(django_settings.BASE_DIR) / "docs" / "api.md"
SECTION = "## Worked example"
# Values a person would read from an email: which address's confirmation key each is.
FROM_EMAIL = {"KEY": "layla@example.org", "STAFF_KEY": "owner@resala.example.org"}


def _blocks(text: str) -> list[str]:
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def steps(text: str) -> list[dict]:
    """The commands of the section: {"line", "var", "jq", "status"} each."""
    found = []
    for block in _blocks(text):
        pending = ""
        for line in block.splitlines():
            if not pending and line.lstrip().startswith("#"):
                arrow = re.match(r"\s*# → (\d{3})", line)
                if arrow:
                    found[-1]["status"] = int(arrow.group(1))
                continue
            pending = f"{pending}\n{line}" if pending else line
            if pending.endswith("\\"):
                pending = pending[:-1]
                continue
            try:
                shlex.split(pending)
            except ValueError:  # a quote still open: the command goes on
                continue
            found.append(_parse(pending.strip()))
            pending = ""
    return found


def _parse(line: str) -> dict:
    captured = re.fullmatch(r"(\w+)=\$\((.*) \| jq -r (\S+)\)", line, flags=re.S)
    if captured:
        return {"line": captured.group(2), "var": captured.group(1), "jq": captured.group(3).strip("'")}
    assigned = re.fullmatch(r"(\w+)=(\S+)", line)
    if assigned:
        return {"line": None, "var": assigned.group(1), "value": assigned.group(2)}
    return {"line": line, "var": None}


def _jq(data, path: str):
    for name, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        data = data[int(index)] if index else data[name]
    return data


def _expand(token: str, variables: dict) -> str:
    return re.sub(r"\$(\w+)", lambda m: str(variables[m.group(1)]), token)


def run_curl(client, line: str, variables: dict):
    tokens = [_expand(t, variables) for t in shlex.split(line)]
    assert tokens[0] == "curl", line
    method, headers, body, url = "GET", {}, None, None
    rest = iter(tokens[1:])
    for token in rest:
        if token == "-s":
            continue
        if token == "-X":
            method = next(rest)
        elif token == "-H":
            name, value = next(rest).split(":", 1)
            headers[name.strip()] = value.strip()
        elif token == "-d":
            body = next(rest)
            method = "POST" if method == "GET" else method
        else:
            url = token
    path = url.removeprefix(variables["BASE"])
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    if body is None:  # as curl sends it: no body, no Content-Type
        return client.generic(method, path, **extra)
    return getattr(client, method.lower())(
        path, body.encode(), content_type=headers.get("Content-Type", "application/json"), **extra
    )


def _confirmation_key(email: str) -> str:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    return EmailConfirmationHMAC(EmailAddress.objects.get(email=email)).key


@pytest.fixture
def moderator_account(make_user):
    from allauth.account.models import EmailAddress

    user = make_user("moderator@example.org", password="moderator-pass-2027", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_the_section_has_every_step():
    found = steps(DOC.read_text(encoding="utf-8"))
    assert len(found) >= 20
    assert all("status" in step for step in found if step["line"]), "each command shows its answer"


def test_the_worked_example_runs_as_written(client, reference_data, moderator_account, settings):
    from matching.models import Match

    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # as in production
    variables = {}
    for step in steps(DOC.read_text(encoding="utf-8")):
        if step["line"] is None:
            email = FROM_EMAIL.get(step["var"])
            variables[step["var"]] = _confirmation_key(email) if email else step["value"]
            continue
        response = run_curl(client, step["line"], variables)
        assert response.status_code == step["status"], (step["line"], response.content[:500])
        if step["var"]:
            variables[step["var"]] = _jq(response.json(), step["jq"])

    match = Match.objects.get(pk=variables["MATCH_ID"])
    assert match.status == Match.Status.CONFIRMED
    assert match.volunteer.user.email == "layla@example.org"
