"""The fakes answer in YouTube's own shapes: each answer is checked against the schemas of
Google's discovery documents (`discovery/youtube.json`: the ones the answers use, taken
from google-api-python-client). Every field must be one the schema names, with its type
(counts are strings of digits, `int64`/`uint64`); a field a fake makes up fails."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.collectors.fake_fixtures import _fake_server, fake_providers  # noqa: F401

SCHEMAS = json.loads((Path(__file__).parent / "discovery" / "youtube.json").read_text())["schemas"]


def problems(value, schema: dict, where: str = "$") -> list[str]:
    """What in `value` the discovery schema does not allow (empty: it conforms)."""
    if "$ref" in schema:
        return problems(value, SCHEMAS[schema["$ref"]], where)
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        found = []
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                found += problems(item, properties[key], f"{where}.{key}")
            elif extra is not None:
                found += problems(item, extra, f"{where}.{key}")
            else:
                found.append(f"{where}.{key}: not in the schema")
        return found
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: not an array"]
        return [
            p
            for i, item in enumerate(value)
            for p in problems(item, schema["items"], f"{where}[{i}]")
        ]
    if kind == "string":
        if not isinstance(value, str):
            return [f"{where}: not a string"]
        if schema.get("format") in ("int64", "uint64") and not value.lstrip("-").isdigit():
            return [f"{where}: not a {schema['format']} string"]
        if "enum" in schema and value not in schema["enum"]:
            return [f"{where}: {value!r} is not one of its values"]
        return []
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{where}: not an integer"]
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: not a number"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: not a boolean"]
    return []  # "any"


def test_the_checker_refuses_what_youtube_would_not_send():
    video = {"kind": "youtube#video", "id": "x", "statistics": {"viewCount": 5}}
    assert problems(video, {"$ref": "youtube.Video"}) == ["$.statistics.viewCount: not a string"]
    made_up = {"kind": "youtube#video", "id": "x", "isPaidPartnership": True}
    assert problems(made_up, {"$ref": "youtube.Video"}) == [
        "$.isPaidPartnership: not in the schema"
    ]


def _creator_token(base: str) -> str:
    """A Google token from the fake, the way a creator's consent gets one."""
    decided = httpx.get(
        f"{base}/creator/accounts.google.com/_decide",
        params={"redirect_uri": "http://testserver/cb", "state": "s", "code_challenge": "",
                "username": "demo.creator", "decision": "allow"},
    )  # fmt: skip
    code = parse_qs(urlsplit(decided.headers["Location"]).query)["code"][0]
    token = httpx.post(
        f"{base}/creator/oauth2.googleapis.com/token",
        data={"code": code, "redirect_uri": "http://testserver/cb", "client_secret": "x",
              "grant_type": "authorization_code"},
    )  # fmt: skip
    return token.json()["access_token"]


@pytest.mark.parametrize(
    ("path", "params", "schema"),
    [
        ("/youtube/v3/videos", {"part": "statistics,snippet", "id": "dQw4w9WgXcQ,abc_hidden"},
         "youtube.VideoListResponse"),
        ("/youtube/v3/channels", {"part": "statistics,snippet", "id": "UC_x5XG1OV2P6uZZ5FSM9Ttw"},
         "youtube.ChannelListResponse"),
    ],
)  # fmt: skip
def test_the_brand_side_youtube_fake(fake_providers, path, params, schema):  # noqa: F811
    response = httpx.get(
        f"{fake_providers.url}{path}", params=params, headers={"X-Goog-Api-Key": "AIza-test"}
    )
    assert response.status_code == 200
    assert problems(response.json(), {"$ref": schema}) == []


@pytest.mark.parametrize(
    ("path", "params", "schema"),
    [
        ("www.googleapis.com/youtube/v3/channels",
         {"part": "id,snippet,statistics", "mine": "true"}, "youtube.ChannelListResponse"),
        ("www.googleapis.com/youtube/v3/videos",
         {"part": "snippet,statistics,paidProductPlacementDetails",
          "id": "dQw4w9WgXcQ,nodisclabel"}, "youtube.VideoListResponse"),
        ("youtubeanalytics.googleapis.com/v2/reports",
         {"ids": "channel==MINE", "startDate": "2026-11-01", "endDate": "2026-11-28",
          "metrics": "estimatedMinutesWatched,averageViewDuration,shares",
          "filters": "video==dQw4w9WgXcQ"}, "youtubeAnalytics.QueryResponse"),
        ("youtubeanalytics.googleapis.com/v2/reports",
         {"ids": "channel==MINE", "startDate": "2026-11-01", "endDate": "2026-11-28",
          "metrics": "views", "filters": "video==newVideo001"}, "youtubeAnalytics.QueryResponse"),
        ("youtubeanalytics.googleapis.com/v2/reports",
         {"ids": "channel==MINE", "startDate": "2026-11-01", "endDate": "2026-11-28",
          "dimensions": "country", "metrics": "views", "sort": "-views"},
         "youtubeAnalytics.QueryResponse"),
        ("youtubeanalytics.googleapis.com/v2/reports",
         {"ids": "channel==MINE", "startDate": "2026-11-01", "endDate": "2026-11-28",
          "dimensions": "ageGroup", "metrics": "viewerPercentage"},
         "youtubeAnalytics.QueryResponse"),
    ],
)  # fmt: skip
def test_the_creators_youtube_fake(fake_providers, path, params, schema):  # noqa: F811
    token = _creator_token(fake_providers.url)
    response = httpx.get(
        f"{fake_providers.url}/creator/{path}", params=params,
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert problems(body, {"$ref": schema}) == []
    if "videos" in path:
        assert {item["id"]: item["paidProductPlacementDetails"] for item in body["items"]}[
            "nodisclabel"
        ] == {"hasPaidProductPlacement": True}
