"""The Host rule of the project's web servers: their own names, on the port they serve."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from graph.hosts import ServedHost, is_address, split_host


@pytest.mark.parametrize(
    ("header", "split"),
    [
        ("127.0.0.1:7878", ("127.0.0.1", 7878)),
        ("LocalHost.:7878", ("localhost", 7878)),
        ("[::1]:7878", ("::1", 7878)),
        ("[::1]", ("::1", 80)),
        ("example.org", ("example.org", 80)),
        ("example.org:x", ("example.org", None)),
        ("example.org:²", ("example.org", None)),
    ],
)
def test_a_host_header_splits_into_name_and_port(header, split):
    assert split_host(header) == split


@pytest.mark.parametrize(
    ("header", "admitted"),
    [
        ("127.0.0.1:7878", True), ("localhost:7878", True), ("[::1]:7878", True),
        ("10.1.2.3:7878", True), ("graph.lan:7878", True), ("GRAPH.LAN.:7878", True),
        (None, True),
        ("127.0.0.1:7879", False), ("localhost", False), ("attacker.example:7878", False),
        ("localhost.attacker.example:7878", False), ("graph.lan:x", False),
    ],
)  # fmt: skip
def test_only_the_server_s_names_on_its_port_are_admitted(header, admitted):
    served = ServedHost.bound_to("127.0.0.1", allowed=["graph.lan"])
    assert served.admits(header, port=7878) is admitted


def test_the_bound_address_is_a_name_unless_it_is_a_wildcard():
    assert "[fe80::1]" not in ServedHost.bound_to("[fe80::1]").names
    assert "fe80::1" in ServedHost.bound_to("[fe80::1]").names
    assert "graph.lan" in ServedHost.bound_to("graph.lan").names
    assert ServedHost.bound_to("0.0.0.0").names == ServedHost.bound_to("::").names


def test_a_wsgi_request_is_checked_on_the_port_it_came_in_on():
    served = ServedHost.bound_to("127.0.0.1")
    assert served.admits_request({"HTTP_HOST": "localhost:41234", "SERVER_PORT": "41234"})
    assert not served.admits_request({"HTTP_HOST": "localhost:7878", "SERVER_PORT": "41234"})


def test_only_ip_addresses_are_addresses():
    assert is_address("::1") and is_address("192.168.0.1")
    assert not is_address("localhost") and not is_address("1.2.3")


@given(st.text(max_size=40), st.integers(min_value=0, max_value=65535))
def test_any_header_is_read_without_error(header, port):
    name, named_port = split_host(header)
    assert name == name.lower() and not name.endswith(".")
    assert named_port is None or named_port >= 0
    assert isinstance(ServedHost.bound_to("127.0.0.1").admits(header, port=port), bool)
