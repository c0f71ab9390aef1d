"""Copy a picture from a platform's CDN into the app's media storage.

Platform CDN links expire (Instagram's within days), so post thumbnails and channel
pictures are copied once, through `default_storage` (a local folder by default, see the
README's *Media files*). Downloads have explicit timeouts, a size limit and a content
type check (a raster `image/*`; SVG can carry scripts, so it is refused); anything else
is None, never an exception: a missing picture never fails the caller.
"""

import hashlib
import logging

import httpx
from django.core.files.base import ContentFile

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/avif": "avif",
    "image/heic": "heic",
}


def fetch_image(url: str, *, name: str, max_bytes: int = MAX_BYTES) -> ContentFile | None:
    """The picture at `url` as a file named `name` plus its extension, or None when it
    cannot be read, is not a raster image or is larger than `max_bytes`."""
    if not url.startswith(("https://", "http://")):
        return None
    try:
        with (
            httpx.Client(timeout=TIMEOUT, follow_redirects=True, max_redirects=3) as client,
            client.stream("GET", url, headers={"User-Agent": "partnerships-media/1"}) as response,
        ):
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if response.status_code != 200 or content_type not in EXTENSIONS:
                log.info("images: not an image (HTTP %s, %s)", response.status_code, content_type)
                return None
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                return None
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    return None
    except (httpx.HTTPError, ValueError):
        log.info("images: could not download a picture", exc_info=True)
        return None
    if not body:
        return None
    digest = hashlib.sha256(body).hexdigest()[:12]
    return ContentFile(bytes(body), name=f"{name}-{digest}.{EXTENSIONS[content_type]}")
