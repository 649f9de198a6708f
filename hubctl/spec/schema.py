"""JSON Schemas (2020-12) of the spec kinds: where they live, and errors turned into Problems."""

from __future__ import annotations

import difflib
import json
from functools import cache

from hubctl.base.problems import Problem
from hubctl.base.secretscan import credential_key, find_secret
from hubctl.base.shipped import data_dir
from hubctl.engines.yaml.yamlload import Document, yaml11_trap


@cache
def schema_text(kind: str) -> str:
    """The JSON Schema of `kind` as shipped (`hubctl schema KIND` prints it)."""
    return (data_dir("schemas") / f"{kind.lower()}.json").read_text(encoding="utf-8")


@cache
def validator(kind: str):
    """jsonschema's validator of `kind` (patterns as ECMA-262), which explains what is wrong."""
    from jsonschema import Draft202012Validator

    from hubctl.spec.ecma import explaining_validator

    schema = json.loads(schema_text(kind))
    Draft202012Validator.check_schema(schema)
    return explaining_validator(schema)


SHOWN_MAX = 80  # a longer value is never echoed: it is rarely needed to see what is wrong, and may be a secret


def shown(value, path: tuple = ()) -> str:
    """`value` quoted for a message, or "the value" when it must not be echoed: long, under
    a credential-named key, or shaped like a secret (the secret scan reports those as "value hidden", and
    the schema message must not print them on the next line)."""
    text = str(value)
    key = next((p for p in reversed(path) if isinstance(p, str)), None)
    if len(text) > SHOWN_MAX or (key is not None and credential_key(key)) or find_secret(text):
        return "the value (not shown)"
    return f"`{text}`"


def _scrubbed(message: str, error, path: tuple) -> str:
    """jsonschema's own message with every string it quotes from the instance (the value, or a mapping's
    keys) replaced when `shown` would not echo it."""
    instance = error.instance
    texts = [instance] if isinstance(instance, str) else list(instance) if isinstance(instance, dict) else []
    for text in texts:
        if isinstance(text, str) and not shown(text, path).startswith("`"):
            message = message.replace(repr(text), "the value (not shown)")
    return message


_TYPE_NAMES = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
               "object": "a mapping", "array": "a list", "null": "null"}


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number"
    if value is None:
        return "empty (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a string"


@cache
def quick_check(kind: str):
    from hubctl.spec.fastcheck import compile_schema

    return compile_schema(json.loads(schema_text(kind)))


def schema_problems(kind: str, doc: Document) -> list[Problem]:
    """Every schema violation of `doc` as a Problem with a message a person can act on."""
    check = quick_check(kind)
    return explained_problems(check, lambda: validator(kind), doc.data, doc)


def explained_problems(check, explainer, value, doc: Document, prefix: tuple = ()) -> list[Problem]:
    """The violations of `value` (at `prefix` in `doc`): none when the fast check accepts it, else
    jsonschema's explanations, else (should the two ever disagree) the fast check's own messages.

    `explainer()` gives jsonschema's validator: made only when needed (importing jsonschema and checking
    the schema take 0.15 s, when a spec changed and all are valid)."""
    verdict = check.verdict(value) if check is not None else None
    if verdict:
        return []
    problems = _without_typo_echoes([p for error in explainer().iter_errors(value)
                                     for p in explain(error, doc, prefix)])
    if not problems and verdict is False:
        problems = [doc.problem(prefix + path, message, "see `hubctl schema` for the allowed shape", "schema")
                    for path, message in check.errors(value)]
    return problems


def _without_typo_echoes(problems: list[Problem]) -> list[Problem]:
    """One problem per typo: `spcae:` is reported as an unknown key (did you mean `space`?), not also as a
    missing `space`."""
    meant = {(p.file, p.path.rpartition(".")[0], p.hint) for p in problems if p.code == "unknown-key"}
    return [p for p in problems if p.code != "missing-key"
            or (p.file, p.path, f"did you mean `{p.message.split('`')[1]}`?") not in meant]


def explain(error, doc: Document, prefix: tuple = ()) -> list[Problem]:
    """A jsonschema error as Problems; `prefix` is where the validated value sits in `doc`."""
    path = prefix + tuple(error.absolute_path)
    validator_name = error.validator
    if "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
        return [_key_problem(error, doc, path + (error.instance,))]
    if validator_name == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - set(allowed)):
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else f"allowed keys: {', '.join(allowed)}"
            out.append(doc.problem(path + (key,), f"unknown key `{key}`", hint, "unknown-key"))
        return out
    if validator_name == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [doc.problem(path, f"missing required key `{k}`", f"add `{k}:` here", "missing-key")
                for k in missing]
    if validator_name == "type":
        return [_type_problem(error, doc, path)]
    if validator_name in ("enum", "const"):
        options = error.validator_value if validator_name == "enum" else [error.validator_value]
        allowed = ", ".join(f"`{o}`" for o in options)
        close = difflib.get_close_matches(str(error.instance), [str(o) for o in options], n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else f"use one of {allowed}"
        return [doc.problem(path, f"{shown(error.instance, path)} is not allowed here; expected {allowed}", hint,
                            "bad-value")]
    if validator_name == "pattern":
        return [_pattern_problem(error, doc, path)]
    if validator_name == "propertyNames":
        return [doc.problem(path, f"invalid key: {_scrubbed(error.message, error, path)}",
                            "use Kubernetes label key syntax", "bad-value")]
    return [doc.problem(path, _scrubbed(error.message, error, path), _generic_hint(validator_name), "schema")]


def _type_problem(error, doc: Document, path) -> Problem:
    expected = error.validator_value
    names = " or ".join(_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
    raw = doc.plain_scalars.get(path)
    if raw is not None and "string" in (expected if isinstance(expected, list) else [expected]):
        if not shown(raw, path).startswith("`"):
            return doc.problem(path, f"the value (not shown) is read as {_kind_of(error.instance)}, but {names} "
                               "is expected here", "quote it", "yaml-trap")
        return doc.problem(path, f"`{raw}` is read as {_kind_of(error.instance)}, but {names} is expected here",
                           f"quote it: '{raw}'", "yaml-trap")
    return doc.problem(path, f"expected {names}, got {_kind_of(error.instance)}",
                       "fix the value's type", "wrong-type")


def _is_label_key_pattern(pattern: str) -> bool:
    return "/)?" in pattern and "A-Za-z0-9" in pattern


def _key_problem(error, doc: Document, path) -> Problem:
    """A mapping key that its schema's propertyNames refuses (a label key, mostly)."""
    key = shown(error.instance, path)
    if error.validator == "pattern" and _is_label_key_pattern(error.validator_value) or error.validator == "maxLength":
        return doc.problem(path, f"{key} is not a valid label key", LABEL_KEY_HINT, "bad-label-key")
    if error.validator == "pattern":
        return _pattern_problem(error, doc, path)
    return doc.problem(path, f"invalid key {key}: {_scrubbed(error.message, error, path)}", "fix the key", "bad-value")


LABEL_KEY_HINT = ("a label key is an optional DNS subdomain prefix and `/`, then at most 63 characters: letters, "
                  "digits, '-', '_', '.', starting and ending with a letter or digit")


def _pattern_problem(error, doc: Document, path) -> Problem:
    pattern = error.validator_value
    value = shown(error.instance, path)
    if pattern.startswith("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"):
        return doc.problem(path, f"{value} is not a DNS-1123 label",
                           "use lower case letters, digits and '-', starting and ending with a letter or digit",
                           "dns-name")
    if "arn:aws" in pattern:
        return doc.problem(path, f"{value} is not an IAM role ARN",
                           "use arn:aws:iam::<12-digit account>:role/<name>", "bad-value")
    if pattern.startswith("^https://"):
        return doc.problem(path, f"{value} is not an https URL",
                           "use https://host[:port][/path], without user info (`user@`), query (`?`) or "
                           "fragment (`#`)", "bad-value")
    if _is_label_key_pattern(pattern):
        return doc.problem(path, f"{value} is not a valid label key", LABEL_KEY_HINT, "bad-label-key")
    if "A-Za-z0-9" in pattern:
        return doc.problem(path, f"{value} is not a valid label value",
                           "at most 63 characters: letters, digits, '-', '_', '.', starting and ending "
                           "with a letter or digit", "bad-value")
    if "Ki|Mi|Gi" in pattern:  # a resource quantity (spec.capacity, spec.placement.requests)
        return doc.problem(path, f"{value} is not a quantity", "write a number with an optional unit, as Kubernetes "
                           "does: 64, 500m (milli), 256Gi, 1.5", "bad-value")
    return doc.problem(path, f"{value} does not match {pattern}", "fix the value", "bad-value")


def _generic_hint(validator_name: str) -> str:
    return {"minItems": "add at least one entry", "maxProperties": "choose exactly one",
            "minProperties": "choose exactly one", "uniqueItems": "remove the repeated entry",
            "maxLength": "shorten it", "minLength": "give it a value", "minimum": "use a larger value",
            "maximum": "use a smaller value"}.get(validator_name, "see `hubctl schema` for the allowed shape")


def yaml_trap_problems(doc: Document) -> list[Problem]:
    """Plain scalars that YAML 1.1 readers (kubectl, Argo CD) would read as a bool or number."""
    out = []
    for path, raw in doc.plain_scalars.items():
        meaning = yaml11_trap(raw)
        if meaning:
            out.append(doc.problem(path, f"`{raw}` is read as a string here but as {meaning} by YAML 1.1 "
                                   "tools such as kubectl and Argo CD", f"quote it: '{raw}'", "yaml-trap"))
    return out
