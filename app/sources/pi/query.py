"""PI Web API query text: parameters written as PI Web API reads them, and a read's WebIds cut
into stream-set requests whose query strings front ends accept."""

from __future__ import annotations

import functools
from urllib.parse import quote, urlencode

# IIS-style front ends refuse query strings over 2 KB; stay under it per stream-set request.
WEBID_QUERY_BUDGET = 1800


def query_text(params: list[tuple[str, str]]) -> str:
    return urlencode(params, quote_via=quote)


@functools.lru_cache(maxsize=16384)
def web_id_param(web_id: str) -> str:
    """`webId=…` as `query_text` writes it, worked out once per WebId (a read names a hundred)."""
    return query_text([("webId", web_id)])


def chunk_web_ids(web_ids: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for web_id in web_ids:
        cost = len(web_id) + 7
        if current and size + cost > WEBID_QUERY_BUDGET:
            chunks.append(current)
            current, size = [], 0
        current.append(web_id)
        size += cost
    if current:
        chunks.append(current)
    return chunks
