"""The secret scan (base.secretscan, spec.secrets, usecases.commit.secretguard) against hostile input.

A seeded generator puts secret-looking values at random key paths of specs and of blueprint files: every
one must be caught, and no message may contain it. The example fleet and the fleetgen fleet must give no
finding at all (specs, blueprints, rendered documents). Scanning is linear: a 1 MB value built to make
backtracking patterns explode still validates quickly (bounded by a generous subprocess timeout).
"""

from __future__ import annotations

import base64
import io
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from support import k8s_schemas as ks

from hubctl.base.secretscan import credential_key, find_secret
from hubctl.spec.secrets import file_credentials
from hubctl.usecases.commit.secretguard import secret_files
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import analyze, check_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fleet"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _run(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


ALNUM = string.ascii_letters + string.digits


def secret_value(rng: random.Random) -> str | list[str]:
    """One secret-looking value of a random family, with random content."""
    body = _run(rng, ALNUM + "+/", 64)
    word = _run(rng, string.ascii_lowercase, 10)
    pem = rng.choice(["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY",
                      "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK"])
    header = f"-----BEGIN {pem}-----"
    cut = rng.randrange(6, len(header) - 5)
    families = [
        lambda: f"{header}\n{body}\n-----END {pem}-----\n",
        lambda: f"{header[:cut]}\n{header[cut:]}\n{body}",  # header split over two lines
        lambda: [header[:cut], header[cut:], body],  # ... or over list items
        lambda: _b64(f"{header}\n{body}\n"),
        lambda: "ghp_" + _run(rng, ALNUM, 36),
        lambda: "glpat-" + _run(rng, ALNUM, 20),
        lambda: "AKIA" + _run(rng, string.ascii_uppercase + string.digits, 16),
        lambda: f"xoxb-{rng.randrange(10**9, 10**10)}-{_run(rng, ALNUM, 24)}",
        lambda: "sk_live_" + _run(rng, ALNUM, 24),
        lambda: "eyJhbGciOiJIUzI1NiJ9." + _b64('{"sub":"' + word + '"}').rstrip("=") + "." + _run(rng, ALNUM, 43),
        lambda: f"https://hooks.slack.com/services/T{_run(rng, ALNUM, 8)}/B{_run(rng, ALNUM, 8)}/{body[:24]}",
        lambda: f"https://discord.com/api/webhooks/{rng.randrange(10**17, 10**18)}/{_run(rng, ALNUM, 40)}",
        lambda: f"https://hooks.example.com/{word}?channel=ops&token={_run(rng, ALNUM, 20)}",
        lambda: f"postgres://{word}:{_run(rng, ALNUM, 12)}@db.internal:5432/app",
        lambda: _b64(f"mysql://{word}:{_run(rng, ALNUM, 12)}@db.internal/app"),
        lambda: f"Server=db;Database={word};User Id=app;Password={_run(rng, ALNUM, 12)};",
        lambda: '{"auths": {"ghcr.io": {"auth": "' + _b64(f"{word}:{_run(rng, ALNUM, 20)}") + '"}}}',
        lambda: _b64('{"auths":{"ghcr.io":{"auth":"' + _b64(f"{word}:{_run(rng, ALNUM, 20)}") + '"}}}'),
        lambda: f"db:\n  host: db.internal\n  password: {_run(rng, ALNUM, 14)}\n",
    ]
    return rng.choice(families)()


CREDENTIAL_KEYS = ["password", "DB_PASSWORD", "DB_PASS", "pwd", "secret_key_base", "bearer", "sessionKey",
                   "passphrase", "apiToken", "clientSecret", "webhookUrl", "private-key", "secret"]


def placed(rng: random.Random) -> tuple[dict, tuple, str]:
    """A nested mapping with a secret at a random key path: (root mapping, path, secret text)."""
    path = tuple(f"{_run(rng, string.ascii_lowercase, 5)}{i}" for i in range(rng.randrange(1, 6)))
    how = rng.randrange(3)
    if how == 0:  # a value shaped like a secret under an ordinary key
        leaf, secret = secret_value(rng), None
    elif how == 1:  # a literal (or an interpolation) under a credential-named key
        path = path + (rng.choice(CREDENTIAL_KEYS),)
        leaf = rng.choice([_run(rng, ALNUM, 12), "${{ secrets." + _run(rng, string.ascii_uppercase, 6) + " }}"])
        secret = None
    else:  # an env entry named like a credential
        secret = _run(rng, ALNUM, 12)
        leaf = [{"name": rng.choice(CREDENTIAL_KEYS).upper(), "value": secret}]
    root: dict = {}
    node = root
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = leaf
    shown = secret or (leaf if isinstance(leaf, str) else "\n".join(leaf))
    return root, path, shown


def dump(data) -> bytes:
    out = io.StringIO()
    yaml = YAML()
    yaml.width = 4096
    yaml.dump(data, out)
    return out.getvalue().encode()


def flow_with(values: dict) -> dict:
    return {"apiVersion": "hubctl.io/v1alpha1", "kind": "Flow", "metadata": {"name": "api"},
            "spec": {"space": "team-a", "source": {"helm": {"repoURL": "https://charts.example.com/x",
                                                            "chart": "x", "version": "1.0.0", "values": values}},
                     "placement": {"selector": {"matchLabels": {"env": "dev"}}}}}


def _secret_lines(shown: str) -> list[str]:
    return [line for line in shown.splitlines() if len(line) >= 8]


@pytest.mark.parametrize("seed", range(8))
def test_secrets_at_random_spec_paths_are_always_caught(seed):
    rng = random.Random(seed)
    for _ in range(40):
        values, path, shown = placed(rng)
        checked = check_file("flows/api.yaml", dump(flow_with(values)))
        found = [p for p in checked.problems if p.code == "inline-secret"]
        assert found, (seed, path, shown)
        assert found[0].path.startswith("spec.source.helm.values." + path[0]), found[0]
        for problem in checked.problems:
            assert not any(line in problem.message + problem.hint for line in _secret_lines(shown))


@pytest.mark.parametrize("seed", range(4))
def test_secrets_in_random_blueprint_files_are_always_caught(seed):
    rng = random.Random(1000 + seed)
    for _ in range(40):
        data, _path, shown = placed(rng)
        template = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": data}
        as_yaml = file_credentials("blueprints/x/templates/cm.yaml", dump(template))
        as_text = file_credentials("blueprints/x/NOTES.txt", dump(data))
        assert as_yaml and as_text, (seed, shown)
        assert all(p.file for p in as_yaml + as_text)


def test_ordinary_values_are_not_secrets():
    ordinary = ["ghcr.io/example/api:1.0.0", "sha256:" + "ab" * 32, "https://charts.example.com/grafana",
                "arn:aws:iam::123456789012:role/argocd", "eu-west-1a", "app.kubernetes.io/name",
                "https://dev-1.k8s.example.com:6443", "ApplicationSetControllerReconcile", "100m",
                "${{ params.image }}"]
    prose = ["Auth: handled by the gateway", "token: none", "password: |", "enableAuth=true", "bearer: Token"]
    assert [v for v in ordinary + prose if find_secret(v)] == []
    references = ["existingSecret", "secretName", "tlsSecret", "imagePullSecrets", "passwordSecretRef",
                  "tokenTTL", "bypass", "key", "keyRef"]
    assert [k for k in references if credential_key(k)] == []


@pytest.fixture(scope="module")
def fleetgen_fleet(tmp_path_factory) -> Path:
    return ks.fleetgen(tmp_path_factory.mktemp("fleetgen") / "fleet")


@pytest.mark.parametrize("which", ["example", "fleetgen"])
def test_no_false_positives_on_the_example_and_fleetgen_fleets(which, fleetgen_fleet):
    loaded = analyze(EXAMPLE if which == "example" else fleetgen_fleet)
    assert loaded.problems == []
    blueprints = [p for p in (ROOT / "blueprints").rglob("*") if p.is_file()]
    assert [f for p in blueprints for f in file_credentials(p.name, p.read_bytes())] == []
    render = render_fleet(loaded.fleet)
    assert secret_files(render.files, render.recipes) == []


def test_the_guard_finds_a_credential_in_a_rendered_file():
    files = {"spokes/a/x.yaml": b"kind: ConfigMap\ndata:\n  key: " + dump("ghp_" + "a1B2" * 9).strip() + b"\n",
             "spokes/a/y.yaml": b"kind: ConfigMap\ndata:\n  key: plain\n"}
    assert secret_files(files) == ["spokes/a/x.yaml"]


def test_the_guard_finds_a_secret_inside_a_list():
    listed = (b"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n"
              b"  - apiVersion: v1\n    kind: Secret\n    metadata: {name: db}\n    data:\n      note: YmFy\n")
    assert secret_files({"spokes/a/list.yaml": listed}) == ["spokes/a/list.yaml"]


HOSTILE = {  # each makes a backtracking pattern scan the rest of the value from every position
    "a": "a", "sk-": "sk-", "eyJ": "eyJ", "//": "//", "xoxb-": "xoxb-", "a=b;": "a=b;", "aws": "aws", "://a:": "://a:",
}


@pytest.mark.parametrize("unit", sorted(HOSTILE))
def test_a_one_megabyte_hostile_value_validates_in_bounded_time(unit, base_fleet):
    value = (HOSTILE[unit] * (1_000_000 // len(unit)))[:1_000_000]
    flow = base_fleet / "flows" / "api.yaml"
    flow.write_text(flow.read_text().replace("image: ghcr.io/example/api:1.0.0",
                                             f"image: ghcr.io/example/api:1.0.0\n    command: ['{value}']"))
    # generous: the backtracking scan this replaces ran past 60 s at 900 KB; a linear one takes ~1 s
    done = subprocess.run([sys.executable, "-m", "hubctl", "validate", "-C", str(base_fleet)], timeout=120,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=base_fleet)
    assert done.returncode in (0, 3), done.stderr[-2000:]
    assert "Traceback" not in done.stderr


def test_a_credential_referenced_through_secret_key_ref_validates_and_renders(hubctl, base_fleet):
    flow = base_fleet / "flows" / "api.yaml"
    flow.write_text(flow.read_text().replace(
        "image: ghcr.io/example/api:1.0.0",
        "image: ghcr.io/example/api:1.0.0\n    env:\n    - name: DB_PASSWORD\n"
        "      valueFrom: {secretKeyRef: {name: api-db, key: password}}"))

    assert hubctl("validate", "-C", base_fleet).code == 0
    assert hubctl("render", "-C", base_fleet).code == 0
    rendered = (base_fleet / "rendered/spokes/dev-1/flows/team-a/api/manifests.yaml").read_text()
    assert ("        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n"
            "              name: api-db\n              key: password\n") in rendered


def test_the_example_in_security_md_is_what_validate_prints(hubctl, tmp_path, monkeypatch):
    page = (ROOT / "docs" / "security.md").read_text()
    block = page.split("```console\n$ hubctl validate ", 1)[1].split("\n", 1)[1].split("```", 1)[0]
    case = ROOT / "tests" / "bad_fleets" / "secret-env-entry-by-name"
    fleet = tmp_path / "fleet"
    shutil.copytree(case.parent / "_base", fleet)
    shutil.copyfile(case / "flows" / "api.yaml", fleet / "flows" / "api.yaml")
    expected = (case / "expected.txt").read_text()
    monkeypatch.chdir(fleet)

    result = hubctl("validate")

    assert result.code == 3
    assert result.out + result.err == block and result.out == expected  # stdout, then the summary on stderr
    assert "correct-horse-battery" not in result.out + result.err


def test_base64_is_decoded_as_written_and_with_its_lines_joined():
    dsn = _b64("postgres://app:s3cr3tpw@db.internal:5432/app")
    wrapped = "\n".join(dsn[i:i + 16] for i in range(0, len(dsn), 16))
    assert find_secret(f"DATABASE_URL {dsn}") == find_secret(wrapped) == "a URL with a password (base64-encoded)"


def test_a_fifo_in_a_blueprint_directory_is_not_read(base_fleet):
    case = ROOT / "tests" / "bad_fleets" / "secret-in-blueprint-template"
    shutil.copytree(case / "blueprints", base_fleet / "blueprints")
    shutil.copyfile(case / "flows" / "api.yaml", base_fleet / "flows" / "api.yaml")
    os.mkfifo(base_fleet / "blueprints" / "db-client" / "NOTES")
    done = subprocess.run([sys.executable, "-m", "hubctl", "validate", "-C", str(base_fleet)], timeout=120,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=base_fleet)
    assert done.returncode == 3
    assert "`DB_PASSWORD` holds what looks like an inline credential" in done.stdout


PASSWORD = "Xq7" + "vR2mTk9"
MISSED_BEFORE = [
    {"url": f"redis://:{PASSWORD}@redis:6379/0"},
    {"broker": f"amqp://:{PASSWORD}@rabbitmq.internal:5672/"},
    {"args": ["--log-level=info", f"--db-password={PASSWORD}"]},
    {"args": [f"--api-token={PASSWORD}"]},
    {"command": ["sh", "-c", f"mysql -uroot -p{PASSWORD} -h db < /init.sql"]},
    {"command": ["mysqladmin", "-uroot", f"-p{PASSWORD}", "ping"]},
    {"adminPassword": 83749261},
    {"password": 4711.0815},
    {"env": [{"name": "DB_PW", "value": 83749261}]},
    {"dsn": _b64(_b64(f"postgres://app:{PASSWORD}@db:5432/app"))},
    {"HMAC_KEY": PASSWORD}, {"APP_KEY": PASSWORD}, {"DB_PW": PASSWORD}, {"PASSWORD1": PASSWORD},
    {"DB_PASSWORD_VALUE": PASSWORD}, {"COOKIE_SECRET_VALUE": PASSWORD},
    {"endpoint": f"https://{PASSWORD}@x2.example.com/hook"},
]


@pytest.mark.parametrize("values", MISSED_BEFORE, ids=lambda v: next(iter(v)))
def test_credentials_that_once_passed_validate_are_caught(values):
    checked = check_file("flows/api.yaml", dump(flow_with(values)))
    found = [p for p in checked.problems if p.code == "inline-secret"]
    assert found, values
    assert not any(PASSWORD in p.message + p.hint or "83749261" in p.message for p in checked.problems)


def test_flags_and_numbers_that_are_not_credentials_pass():
    ordinary = ["--token-file=/var/run/secrets/token", "--password-file=/etc/app/pw", "--port=8080",
                "--db-password=$(DB_PASSWORD)", "mysql -uroot -p -h db", "mysql -uroot -p$MYSQL_PWD",
                "--secret-name=db-creds", "https://charts.example.com/x@1.0"]
    assert [v for v in ordinary if find_secret(v)] == []
    checked = check_file("flows/api.yaml", dump(flow_with({"tokenTTL": 3600, "replicas": 3, "auth": 1,
                                                            "password": 12})))
    assert [p for p in checked.problems if p.code == "inline-secret"] == []


def test_base64_is_looked_into_to_a_bounded_depth():
    dsn = f"postgres://app:{PASSWORD}@db:5432/app"
    assert find_secret(_b64(_b64(_b64(dsn))))
    assert find_secret(_b64(_b64(_b64(_b64(_b64(dsn)))))) is None


def test_cluster_add_refuses_a_token_in_the_server_url(hubctl, base_fleet):
    token = "ghp_" + "0123456789abcdefghijklmnopqrstuvwxyzAB"
    result = hubctl("cluster", "add", "x2", "-C", str(base_fleet), "--server", f"https://{token}@x2.example.com",
                    "--provider", "eks", "--env", "dev", "--region", "eu-west", "--credentials",
                    "aws-role:arn:aws:iam::123456789012:role/argocd")
    assert result.code != 0
    assert token not in result.out + result.err
    assert not (base_fleet / "clusters" / "x2.yaml").exists()


SETTINGS = {"auth": "disabled", "basicAuth": "false", "AUTH": "oidc", "REQUIRE_AUTH": "true",
            "DISABLE_AUTH": "false", "VAULT_AUTH": "kubernetes", "SECRET": "grafana-secret",
            "TLS_SECRET": "grafana-tls",
            "ingress": {"annotations": {"nginx.ingress.kubernetes.io/auth-secret": "basic-auth",
                                        "nginx.ingress.kubernetes.io/auth-type": "basic"}},
            "env": [{"name": "COOKIE_SECRET", "value": "cookie-secret"}, {"name": "AUTH", "value": "oidc"}]}


def test_settings_under_credential_named_keys_are_not_credentials():
    checked = check_file("flows/api.yaml", dump(flow_with(SETTINGS)))
    assert [(p.path, p.message) for p in checked.problems if p.code == "inline-secret"] == []


@pytest.mark.parametrize("values", [{"auth": PASSWORD}, {"auth": "hunter2"}, {"SECRET": "hunter2"},
                                    {"clientSecret": "abcdefghij"}, {"auth-secret": "A1b2-c3d4"},
                                    {"password": "changeme"}, {"AUTH": "Basic dXNlcjpwYXNz"}],
                         ids=lambda v: f"{next(iter(v))}={next(iter(v.values()))}")
def test_credentials_that_look_a_little_like_settings_are_still_caught(values):
    checked = check_file("flows/api.yaml", dump(flow_with(values)))
    assert [p for p in checked.problems if p.code == "inline-secret"], values
