"""`flow promote` on overrides written in flow style (`{...}`), which validate accepts: the result reads back
as written, stays flow style, and every other line is kept byte for byte."""

from __future__ import annotations

import json

from tests.ops.helpers import changed_lines

STAGING_BLOCK = "      staging:\n        ingress: {host: shop.staging.example.com}\n"
PROD_BLOCK = "      prod:\n        replicas: 4\n"


def promote(hubctl, fleet, name, *extra):
    return hubctl("flow", "promote", name, "--from", "staging", "--to", "prod", *extra, "-C", fleet)


def test_a_pin_with_a_colon_lands_quoted_in_a_flow_mapping(hubctl, example_fleet):
    web = example_fleet / "flows/web.yaml"
    web.write_text(web.read_text()
                   .replace(STAGING_BLOCK, "      staging: {image: 'ghcr.io/example/storefront-web:2.15.0', "
                                           "ingress: {host: shop.staging.example.com}}\n")
                   .replace(PROD_BLOCK, "      prod: {replicas: 4}\n"))
    assert hubctl("validate", "-C", example_fleet).code == 0
    original = web.read_text()
    result = promote(hubctl, example_fleet, "web")
    assert result.code == 0, result.err
    assert changed_lines(original, web.read_text()) == [
        "-      prod: {replicas: 4}",
        "+      prod: {replicas: 4, image: 'ghcr.io/example/storefront-web:2.15.0'}"]
    assert hubctl("validate", "-C", example_fleet).code == 0
    assert "prod-eu-1 (prod) image: ghcr.io/example/storefront-web:2.14.0 -> " \
           "ghcr.io/example/storefront-web:2.15.0" in result.out


def test_a_new_layer_inside_a_flow_mapping(hubctl, example_fleet):
    web = example_fleet / "flows/web.yaml"
    text = web.read_text()
    start, end = text.index("    env:\n"), text.index("    region:\n")
    web.write_text(text[:start] + '    env: {staging: {image: "ghcr.io/example/storefront-web:2.15.0"}}\n' + text[end:])
    assert hubctl("validate", "-C", example_fleet).code == 0
    result = promote(hubctl, example_fleet, "web", "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["details"]["pins"] == [
        {"key": "image", "value": "ghcr.io/example/storefront-web:2.15.0"}]
    assert ('    env: {staging: {image: "ghcr.io/example/storefront-web:2.15.0"}, '
            'prod: {image: "ghcr.io/example/storefront-web:2.15.0"}}\n') in web.read_text()
    assert hubctl("validate", "-C", example_fleet).code == 0


def test_a_chart_version_in_flow_style_version_overrides(hubctl, example_fleet):
    path = example_fleet / "flows/dashboards.yaml"
    path.write_text(path.read_text().replace("      versionOverrides:\n        env:\n          staging: 8.6.1\n",
                                             "      versionOverrides: {env: {staging: 8.6.1}}   # next chart\n"))
    original = path.read_text()
    result = promote(hubctl, example_fleet, "dashboards")
    assert result.code == 0, result.err
    assert changed_lines(original, path.read_text()) == [
        "-      versionOverrides: {env: {staging: 8.6.1}}   # next chart",
        "+      versionOverrides: {env: {staging: 8.6.1, prod: 8.6.1}}   # next chart"]
    assert hubctl("validate", "-C", example_fleet).code == 0


def test_promoting_back_to_the_base_drops_the_key_from_a_flow_mapping(hubctl, example_fleet):
    web = example_fleet / "flows/web.yaml"
    web.write_text(web.read_text().replace(PROD_BLOCK, "      prod: {replicas: 4, image: 'ghcr.io/x/web:0.1'}\n"))
    original = web.read_text()
    result = promote(hubctl, example_fleet, "web", "--key", "image")
    assert result.code == 0, result.err
    assert changed_lines(original, web.read_text()) == [
        "-      prod: {replicas: 4, image: 'ghcr.io/x/web:0.1'}", "+      prod: {replicas: 4}"]
