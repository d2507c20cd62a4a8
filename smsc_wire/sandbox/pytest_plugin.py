"""The ``smsc_sandbox`` pytest fixture: a fresh sandbox on a free loopback port per test.

Registered through the ``pytest11`` entry point of the ``sandbox`` extra; without it, name the
plugin in your ``conftest.py`` (or a test module)::

    pytest_plugins = ["smsc_wire.sandbox.pytest_plugin"]

The fixture is the :class:`~smsc_wire.sandbox.Sandbox` itself, served: ``.url`` is its base URL
(``http://127.0.0.1:PORT``), ``.endpoint`` the ``senders.php`` URL, and every method of the
control API is there (``add_account``, ``approve``, ``last_code``, ``clock.advance``,
``configure``, ``inject``...). It starts with the account ``demo`` (password ``demo``) and the
service's rules, and is stopped after the test. waitress is imported only when a test uses the
fixture, so the plugin costs nothing to a test run that does not.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._app import DEFAULT_ACCOUNT, Sandbox


@pytest.fixture
def smsc_sandbox() -> Iterator[Sandbox]:
    """A :class:`~smsc_wire.sandbox.Sandbox` served on a free port of 127.0.0.1 for one test::

    def test_add(smsc_sandbox):
        reply = httpx.get(smsc_sandbox.endpoint,
                          params={"add": 1, "login": "demo", "psw": "demo", "sender": "Shop"})
        assert reply.content == b"ID = 1"
    """
    sandbox = Sandbox(accounts=[DEFAULT_ACCOUNT])
    with sandbox:
        sandbox.serve("127.0.0.1", 0)
        yield sandbox
