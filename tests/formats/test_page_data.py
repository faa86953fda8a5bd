"""The embedded page data readers: Nuxt 3's devalue array and Nuxt 2's ``window.__NUXT__``."""

from __future__ import annotations

import math

import pytest

from reviewcrawler.formats import nuxt2_data, nuxt_data


def test_nuxt_data_resolves_references_wrappers_and_shared_entries() -> None:
    payload = [
        ["ShallowReactive", 1],
        {"film": 2, "again": 2, "tags": 5, "when": 7, "missing": -1, "nan": -3},
        {"title": 3, "score": 4},
        "Night Ferry",
        88,
        ["Set", 6, 6],
        "drama",
        ["Date", "2024-01-02T00:00:00.000Z"],
    ]
    data = nuxt_data.resolve(payload)
    assert data["film"] == {"title": "Night Ferry", "score": 88}
    assert data["again"] is data["film"]  # one entry, one value
    assert data["tags"] == ["drama", "drama"]
    assert data["when"] == "2024-01-02T00:00:00.000Z"
    assert data["missing"] is None
    assert math.isnan(data["nan"])


def test_nuxt_data_survives_cycles_maps_and_bad_payloads() -> None:
    data = nuxt_data.resolve([{"self": 0, "map": 1}, ["Map", 2, 3], "k", 7])
    assert data["self"] is data
    assert data["map"] == {"k": 7}
    assert nuxt_data.load("not json") is None
    assert nuxt_data.load("{}") is None  # not an array
    assert nuxt_data.load(None) is None
    with pytest.raises(nuxt_data.NuxtDataError):
        nuxt_data.resolve([])


def test_walk_visits_every_container_once() -> None:
    shared = {"quote": "q", "publicationName": "p"}
    tree = {"a": [shared, shared], "b": {"c": shared}}
    assert sum(1 for node in nuxt_data.walk(tree) if node is shared) == 1


def test_nuxt2_function_form_binds_parameters() -> None:
    script = (
        'window.__NUXT__=(function(a,b,c,d){a.extra=1;return {data:[{title:"Kelp",score:c,'
        "note:'it\\'s',url:\"https:\\u002F\\u002Fx.example\",gone:void 0,list:[1,,b]}],"
        "state:{flag:!0,d:d}}}({},null,72));"
    )
    data = nuxt2_data.parse_nuxt(script)
    assert data["data"][0] == {
        "title": "Kelp",
        "score": 72,
        "note": "it's",
        "url": "https://x.example",
        "gone": None,
        "list": [1, None, None],
    }


def test_nuxt2_plain_object_and_unreadable_scripts() -> None:
    assert nuxt2_data.parse_nuxt('window.__NUXT__={a:1,"b":[true,false,null]};') == {
        "a": 1,
        "b": [True, False, None],
    }
    assert nuxt2_data.parse_nuxt("window.__NUXT__=(function(a){return {x:") is None
    assert nuxt2_data.parse_nuxt("var other = 1") is None
