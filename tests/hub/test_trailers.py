"""hubctl.adapters.git.trailers: only the last paragraph of a message, when all `Key: value`, holds trailers."""

from __future__ import annotations

import pytest

from hubctl.adapters.git.trailers import trailer_block

HUBCTL = "Hubctl-Spec-Hash: sha256:ab12\nHubctl-Allowed-Removal: web-prod-eu-1 (prod)"


@pytest.mark.parametrize(("message", "block"), [
    (f"hubctl: render\n\nFiles: 1 added.\n\n{HUBCTL}\n", HUBCTL),
    (f"hubctl: render\r\n\r\n{HUBCTL}\r\n".replace("\n", "\r\n").replace("\r\r", "\r"), HUBCTL),
    (f"{HUBCTL}\n", ""),  # a subject is never a trailer block
    (f"title\n\n{HUBCTL}\n\nReviewed in the pull request.\n", ""),  # prose after it
    (f"title\n\nnote:\n{HUBCTL}\n", ""),  # a paragraph that is not all trailers
    (f"title\n\n{HUBCTL}\n  (continued)\n", f"{HUBCTL}\n  (continued)"),
    ("title\n\n \n\t\n", ""),
    ("", ""),
])
def test_trailer_block(message, block):
    assert trailer_block(message) == block
