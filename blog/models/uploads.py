"""Uploaded media files and their resized variants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach


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
    # Smaller renditions for srcset: {"480": "2025/06/ab12cd-480.jpg", ...}
    variants: Mapped[dict] = mapped_column(JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # A new file is on no page until an article or a profile refers to it.
    __public__ = PublicReach(Reach.SITE, new_rows=False)

    def srcset_items(self) -> list[tuple[str, int]]:
        """(path, width) pairs from smallest to largest, the original included."""
        items = [(path, int(width)) for width, path in self.variants.items()]
        if self.width:
            items.append((self.path, self.width))
        return sorted(set(items), key=lambda item: item[1])
