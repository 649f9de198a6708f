"""Does this text hold a credential? One linear-time detector for spec values, blueprint files and rendered
documents (docs/security.md, "Secrets kept out of Git").

Token-shaped secrets (AWS, GitHub, GitLab, Slack, Stripe, SendGrid, ... keys) are found by the maintained
plugins of detect-secrets. hubctl adds what a fleet hides from them: PEM blocks split over lines, secrets
wrapped in base64 (DSNs, dockerconfigjson), credentials assigned inside free text (`Password=` connection
strings, `?token=` in URLs, embedded JSON or YAML) and webhook URLs. Every step is linear in the length of
the text: detect-secrets' own patterns backtrack on some inputs (measured: quadratic and worse), so they
only ever see windows of bounded length, and hubctl's patterns start only where a run of characters
starts and use bounded repeats.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import cache

WINDOW = 256  # detect-secrets' patterns see at most this many characters at once...
OVERLAP = 128  # ...and a token up to this long is never cut in two
_MIN_ENCODED = 24  # shorter base64 runs hold nothing worth decoding (and ordinary words are valid base64)
DECODE_DEPTH = 3  # base64 inside base64 (a DSN encoded twice) is decoded this many levels deep

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# a key ending so names a credential ("DB_PASSWORD", "secret_key_base", "sessionKey")
_CREDENTIAL_ENDINGS = ("password", "passwd", "passphrase", "token", "apikey", "accesskey", "secretkey",
                       "privatekey", "sessionkey", "signingkey", "encryptionkey", "masterkey", "clientsecret",
                       "secretkeybase", "webhookurl", "keydata", "credential", "credentials", "authorization",
                       "hmackey", "appkey", "jwtkey", "cookiekey")
_CREDENTIAL_WORDS = {"pass", "pwd", "pw", "auth", "bearer", "secret"}
# trailing words that only say "the value of": PASSWORD1, DB_PASSWORD_VALUE, COOKIE_SECRET_VALUE
_VALUE_SUFFIXES = {"value", "val", "str", "string"}
# "existingSecret", "tlsSecret", "imagePullSecret": the *name* of a Secret, which is how one references it
_SECRET_NAMES = {"existing", "tls", "pull", "ref", "name", "names", "store", "kind"}

_PEM_PRIVATE = re.compile(r"BEGIN[A-Z0-9]{0,40}PRIVATEKEY|PUTTY-USER-KEY-FILE")
_TOKENS = [  # (word in the lower-cased text, pattern, what); patterns start only where a run of characters does
    ("eyj", re.compile(r"(?<![\w-])eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}"), "a JSON Web Token"),
    ("github_pat_", re.compile(r"(?<![\w-])github_pat_\w{30,}"), "a GitHub token"),
    ("xox", re.compile(r"(?<![\w-])xox[abeoprs]-[\w-]{10,}"), "a Slack token"),
    ("k_live_", re.compile(r"(?<![\w-])[rs]k_live_[A-Za-z0-9]{16,}"), "a Stripe key"),
    ("bearer", re.compile(r"(?<![\w-])Bearer\s{1,8}[\w~+/-][\w.~+/-]{15,}"), "a bearer token"),
    ("hooks.slack.com", re.compile(r"hooks\.slack\.com/(?:services|workflows|triggers)/[\w/-]{8,}", re.I),
     "a Slack webhook URL"),
    ("discord", re.compile(r"discord(?:app)?\.com/api/webhooks/[0-9]{5,}/[\w-]{10,}", re.I),
     "a Discord webhook URL"),
    ("webhook.office.com", re.compile(r"\.webhook\.office\.com/webhookb2/[\w@/-]{10,}", re.I),
     "a Microsoft Teams webhook URL"),
    ("://", re.compile(r"(?<![\w+.-])[A-Za-z][\w+.-]{0,30}://[^/\s:@]{0,256}:[^/\s@]{1,256}@"),
     "a URL with a password"),
    ("http", re.compile(r"(?<![\w+.-])https?://[^/\s:@?#]{1,256}@", re.I), "a URL with user info"),
]
# a command-line flag given a credential (`--db-password=...`), and mysql's `-p<password>`
_FLAG = re.compile(r"(?<![\w-])--([A-Za-z][\w.-]{0,63})=([^\s\"';&]{1,256})")
_MYSQL_PASSWORD = re.compile(r"(?<![\w/-])mysql(?:admin|dump)?(?![\w-])[^;&|]{0,256}?(?<=\s)-p([^\s\"';&]{1,256})")
# `key: value` / `key=value` inside free text: connection strings, query strings, embedded JSON and YAML
_ASSIGNED = re.compile(r"""(?:^|(?<=[\n;&?{},\[\]]))[ \t]*(?:-[ \t]+)?["']?([A-Za-z_][\w.-]{0,63})["']?"""
                       r"""[ \t]*[:=][ \t]*["']?([^\s"';&?{},\[\]]*)""")
_KEY_WORDS = re.compile(r"pass|pwd|auth|bearer|secret|token|key|credential|webhook", re.I)
_ENCODED = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
# In free text, not a credential: YAML saying the value follows or there is none, a flag, a small number,
# or one plain word ("Auth: handled by the gateway", "token: none")
_NOT_CREDENTIALS = re.compile(r"[|>][+-]?|~|[0-9]{1,6}|[A-Za-z][a-z]{0,11}")
# Values that say how, not what: under a credential-named key they are settings, not credentials.
_SWITCH = re.compile(r"true|false|yes|no|on|off|enabled?|disabled?|none|null", re.I)
_MECHANISM = re.compile(r"[a-z]{2,24}")  # `auth: oidc`, `VAULT_AUTH: kubernetes`: a lower-case enum word
_SECRET_NAME = re.compile(r"[a-z]{2,20}(?:-[a-z]{2,20}){1,5}")  # `auth-secret: basic-auth`: a Secret's name
_REFERENCE = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\}")


def credential_key(key) -> bool:
    """True when a key (or an env entry's name) says its value is a credential: password, DB_PASS, pwd,
    secret_key_base, bearer, sessionKey, passphrase, clientSecret, ..."""
    words = _key_words(key)
    if not words:
        return False
    if "".join(words).endswith(_CREDENTIAL_ENDINGS):
        return True
    last = words[-1]
    if last == "secret":
        return len(words) == 1 or words[-2] not in _SECRET_NAMES
    return last in _CREDENTIAL_WORDS


def _key_words(key) -> list[str]:
    """The lower-cased words of a key, without trailing ones that only say "the value of" (digits too)."""
    words = [w.lower() for w in _WORDS.findall(str(key))]
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _VALUE_SUFFIXES):
        words.pop()
    return words


def literal_credential(value: str, key=None) -> bool:
    """True when `value`, held by a credential-named key, is a literal rather than a reference. An empty
    value and a runtime reference (`$(VAR)`, `${VAR}`) are not; hubctl's own `${{ ... }}` interpolation is:
    it writes the value into Git. Given the `key`, neither is a setting (`setting_value`)."""
    text = value.strip()
    return bool(text) and not _REFERENCE.fullmatch(text) and not (key is not None and setting_value(key, text))


def setting_value(key, value: str) -> bool:
    """True when `value` under credential-named `key` configures rather than holds a credential: a
    boolean word (`basicAuth: "false"`, `REQUIRE_AUTH: "true"`); under a key ending in auth (a mechanism as
    often as a credential), one lower-case word (`auth: disabled`, `AUTH: oidc`); under a key ending in
    secret, a Secret's name: lower-case words joined by hyphens (`auth-secret: basic-auth`). Random
    credentials are neither: they mix case or digits."""
    if _SWITCH.fullmatch(value):
        return True
    words = _key_words(key)
    last = words[-1] if words else ""
    return ((last == "auth" and bool(_MECHANISM.fullmatch(value)))
            or (last == "secret" and bool(_SECRET_NAME.fullmatch(value))))


def literal_number(value) -> bool:
    """True when `value` is a YAML number of four or more digits: under a credential-named key
    (`adminPassword: 83749261`, `password: 4711.0815`) that is a PIN or password, not a setting."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return sum(ch.isdigit() for ch in str(value)) >= 4


def find_secret(text: str, decode: bool | int = True, assignments: bool = True) -> str | None:
    """What kind of secret `text` holds ("a private key", "an AWS Access Key", ...), or None.

    `assignments=False` skips `key: value` pairs inside the text (for whole YAML files whose keys were
    checked from their structure); `decode` is how many levels of base64 to look inside (True:
    DECODE_DEPTH). Linear in len(text). Never returns any part of the text itself.
    """
    if not text or len(text) < 8:
        return None
    compact = "".join(text.split()).upper()
    if _PEM_PRIVATE.search(compact):
        return "a private key"
    lowered = text.lower()
    for word, pattern, what in _TOKENS:
        if word in lowered and pattern.search(text):
            return what
    found = (_plugin_finding(text, lowered) or _command_line_credential(text)
             or (assignments and _assigned_credential(text)) or None)
    if found or not decode:
        return found
    return _encoded_secret(text, assignments, DECODE_DEPTH if decode is True else int(decode))


def _windows(text: str):
    if len(text) <= WINDOW:
        yield 0, text
        return
    for start in range(0, len(text) - OVERLAP, WINDOW - OVERLAP):
        yield start, text[start:start + WINDOW]


def _plugin_finding(text: str, lowered: str) -> str | None:
    chosen = frozenset(i for i, (words, _) in enumerate(_detectors()) if any(w in lowered for w in words))
    if not chosen:
        return None
    combined = _combined(chosen)
    for _, window in _windows(text):
        if combined.search(window):
            for i in sorted(chosen):
                plugin = _detectors()[i][1]
                if any(True for _ in plugin.analyze_string(window)):
                    return _article(plugin.secret_type)
    return None


@cache
def _combined(chosen: frozenset[int]) -> re.Pattern:
    """One pattern that matches wherever one of the chosen plugins could: a window is searched once."""
    parts = []
    for i in sorted(chosen):
        for pattern in _detectors()[i][1].denylist:
            flags = "".join(f for f, bit in (("i", re.I), ("x", re.X)) if pattern.flags & bit)
            parts.append(f"(?{flags}:{pattern.pattern})" if flags else f"(?:{pattern.pattern})")
    return re.compile("|".join(parts))


def _article(name: str) -> str:
    return f"{'an' if name[0] in 'AEIOU' else 'a'} {name}"


def _assigned_credential(text: str) -> str | None:
    if ":" not in text and "=" not in text:
        return None
    for match in _ASSIGNED.finditer(text):
        if (_KEY_WORDS.search(match[1]) and not _NOT_CREDENTIALS.fullmatch(match[2]) and credential_key(match[1])
                and literal_credential(match[2], match[1])):
            return f"a credential assigned to `{match[1]}`"
    return None


def _command_line_credential(text: str) -> str | None:
    if "--" in text:
        for match in _FLAG.finditer(text):
            if credential_key(match[1]) and literal_credential(match[2], match[1]) and not match[2].startswith("$"):
                return f"a credential given to `--{match[1]}`"
    if "mysql" in text:
        for match in _MYSQL_PASSWORD.finditer(text):
            if not match[1].startswith("$"):
                return "a password given to mysql's -p"
    return None


def _encoded_secret(text: str, assignments: bool, depth: int) -> str | None:
    """A secret inside a base64 run (a DSN, a PEM key, a dockerconfigjson): each run is decoded, as
    written and, when the text spans lines (base64 wrapped at 64 or 76 columns), with the lines joined;
    what it decodes to is searched again, `depth` levels in all (each level is 3/4 the length: linear)."""
    if len(text) < _MIN_ENCODED:
        return None
    joined = "".join(text.split()) if "\n" in text else ""
    for run in (*_ENCODED.finditer(text), *_ENCODED.finditer(joined)):
        decoded = _decoded_text(run[0])
        found = decoded and find_secret(decoded, decode=depth - 1, assignments=assignments)
        if found:
            return f"{found} (base64-encoded)"
    return None


def _decoded_text(run: str) -> str | None:
    padded = run + "=" * (-len(run) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return text if printable >= 0.95 * len(text) else None


# detect-secrets' plugins, each with the words (lower case) that any of its matches contains: a plugin runs
# only on windows holding one of them (gitleaks' rule keywords, for the same reason: speed). Left out: the
# keyword and high-entropy plugins (hubctl reads keys from the YAML structure; entropy flags every digest
# and generated name), Public IP (cluster servers), and the IBM, Cloudant and SoftLayer plugins (keyword
# patterns, measured to backtrack for seconds on 20 KB).
_PLUGINS = {
    "private_key.PrivateKeyDetector": ("private key", "putty"),
    "aws.AWSKeyDetector": ("akia", "asia", "abia", "acca", "a3t"),  # not "aws": a keyword pattern
    "github_token.GitHubTokenDetector": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    "gitlab_token.GitLabTokenDetector": ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "gr1348941", "glcbt-",
                                         "glimt-", "glptt-", "glagent-", "gloas-"),
    "slack.SlackDetector": ("xox", "hooks.slack.com"),
    "stripe.StripeDetector": ("k_live_",),
    "sendgrid.SendGridDetector": ("sg.",),
    "square_oauth.SquareOAuthDetector": ("sq0csp-",),
    "twilio.TwilioKeyDetector": ("ac", "sk"),
    "mailchimp.MailchimpDetector": ("-us",),
    "discord.DiscordBotTokenDetector": (".",),
    "telegram_token.TelegramBotTokenDetector": (":",),
    "openai.OpenAIDetector": ("t3blbkfj",),
    "pypi_token.PypiTokenDetector": ("pypi-",),
    "azure_storage_key.AzureStorageKeyDetector": ("accountkey=",),
    "artifactory.ArtifactoryDetector": ("akc", "ap"),
    "basic_auth.BasicAuthDetector": ("://",),
    "jwt.JwtTokenDetector": ("eyj",),
    "npm.NpmDetector": ("_authtoken",),
}


@cache
def _detectors() -> list[tuple[tuple[str, ...], object]]:
    """(keywords, plugin) for each detect-secrets plugin hubctl uses."""
    from importlib import import_module

    out = []
    for name, words in _PLUGINS.items():
        module, cls = name.rsplit(".", 1)
        out.append((words, getattr(import_module(f"detect_secrets.plugins.{module}"), cls)()))
    return out
