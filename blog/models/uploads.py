"""Uploaded media files and their resized variants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach

# The formats of the copies kept beside JPEG and PNG renditions, by the name that starts
# their key in `variants` and ends their file's name, in the order a page offers them (a
# browser takes the first <source> it can decode).
MODERN_TYPES = {"avif": "image/avif", "webp": "image/webp"}


class Upload(Base):
    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Path under the uploads folder of the largest stored rendition, e.g. "2025/06/ab12cd.jpg".
    path: Mapped[str] = mapped_column(String(255), unique=True)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(default=0)
    width: Mapped[int | None]
    height: Mapped[int | None]
    sha256: Mapped[str] = mapped_column(String(64), index=True, default="")
    # Smaller renditions for srcset: {"480": "2025/06/ab12cd-480.jpg", ...}, and the WebP
    # and AVIF copies of each width (blog/services/image_formats.py), for <picture>
    # sources: {"webp-480": "2025/06/ab12cd-480.webp", "avif-480": ..., ...}
    variants: Mapped[dict] = mapped_column(JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # A new file is on no page until an article or a profile refers to it.
    __public__ = PublicReach(Reach.SITE, new_rows=False)

    def srcset_items(self) -> list[tuple[str, int]]:
        """(path, width) pairs from smallest to largest, the original included: the files
        in the upload's own format."""
        items = [(path, int(width)) for width, path in self.variants.items() if width.isdigit()]
        if self.width:
            items.append((self.path, self.width))
        return sorted(set(items), key=lambda item: item[1])

    def modern_srcsets(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """(content type, [(path, width), ...] from smallest to largest) of each of its
        WebP and AVIF sets, in the order a page offers them; empty when it has none."""
        found: dict[str, list[tuple[str, int]]] = {}
        for variant, path in self.variants.items():
            name, _, width = variant.partition("-")
            if name in MODERN_TYPES and width.isdigit():
                found.setdefault(name, []).append((path, int(width)))
        return [
            (content_type, sorted(found[name], key=lambda item: item[1]))
            for name, content_type in MODERN_TYPES.items()
            if name in found
        ]

    def stored_paths(self) -> list[str]:
        """Every file stored for it: the original, its renditions and their copies."""
        return [self.path, *self.variants.values()]
