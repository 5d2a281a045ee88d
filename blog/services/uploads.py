"""Storing uploaded images: verified with Pillow, re-encoded, resized for srcset, with
WebP and AVIF copies beside them (blog/services/image_formats.py)."""

import hashlib
import io
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from PIL import Image, ImageOps, ImageSequence, PngImagePlugin, UnidentifiedImageError
from sqlalchemy import select

from blog.domain import DomainError
from blog.extensions import db
from blog.models import Upload
from blog.models.base import utcnow
from blog.services import image_formats
from blog.services.image_formats import Rendition, rendition_widths, resized
from blog.services.image_structure import Shape, shape_of
from blog.services.upload_files import uploads_root, write_files
from blog.text import strip_control_characters

VARIANT_WIDTHS = (480, 960, 1600)
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # of a still image, or of all an animation's frames together
MAX_FRAMES = 500
MAX_SCANS = 50  # of a progressive JPEG (libjpeg's progressive mode writes 10)
MAX_STEPS = 50_000  # blocks, chunks and markers (a 10 MB GIF has about 41,000 sub-blocks)
MAX_ICC_BYTES = 1024 * 1024  # as much as Pillow itself reads from a PNG
MAX_EXIF_BYTES = 65_535  # as much as a JPEG can hold; read to turn the image upright
# Pillow's own guards, for every image this process opens: it warns past MAX_PIXELS and
# refuses past twice as many, when a file is opened and when a GIF frame grows the canvas;
# text chunks, which are never stored, may take this much memory while a PNG is read.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
PngImagePlugin.MAX_TEXT_MEMORY = 4 * 1024 * 1024
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
# A phone's JPEG may carry a second picture after the photo (a depth or HDR gain map),
# which Pillow reads as MPO: the photo itself is kept, as a plain JPEG.
READ_AS = {"MPO": "JPEG"}
NOT_AN_IMAGE = "That file is not a JPEG, PNG, WebP or GIF image we can read."
# An ISO media file (HEIC, HEIF, AVIF) names its brand after "ftyp" at byte 4: a photo
# saved by an iPhone or a Mac in the "High Efficiency" format, which Byline does not read.
HIGH_EFFICIENCY_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")
HIGH_EFFICIENCY_PHOTO = (
    "That photo is in the HEIC (High Efficiency) format, which Byline does not read: "
    "send it as a JPEG (on an iPhone, Settings › Camera › Formats › Most Compatible), please."
)
TOO_MANY_PIXELS = "That image is too large: at most 40 megapixels, please."
TOO_MANY_FRAMES = f"That animation is too long: at most {MAX_FRAMES} frames, please."
ANIMATION_TOO_LARGE = (
    "That animation is too large: at most 40 megapixels in all its frames together, please."
)
TOO_COMPLEX = (
    "That image file is made of too many pieces (blocks, chunks or scans) to read: "
    "save it again from an image editor, please."
)
ONLY_GIF_ANIMATES = (
    "Animated PNG and WebP images are not accepted: upload the animation as a GIF, "
    "or a still image."
)
METADATA_TOO_LARGE = (
    "That image carries too much metadata (a colour profile over 1 MB or EXIF over 64 kB): "
    "save it again without it, or with a standard sRGB profile, please."
)
NO_IMAGE_CHOSEN = "Choose an image to upload."
NO_ALT_TEXT = "Describe the image for readers who cannot see it."
TOO_MANY_BYTES = "That file is too large: at most 10 MB, please."
NOT_STORED = (
    "The image could not be saved: the server's storage is full or cannot be written to. "
    "Please try again later, or tell an administrator."
)
# CommonMark lets any ASCII punctuation be escaped with a backslash: in an image's alt text
# every one is, so emphasis, entities, links, code and typographer's quotes stay as typed.
ESCAPED_IN_ALT = str.maketrans({character: "\\" + character for character in string.punctuation})
# What each stored file is served as, by the extension Byline itself gave it.
SERVED_TYPES = {ext: content_type for content_type, ext in FORMATS.values()} | {
    name: content_type for name, content_type in image_formats.CONTENT_TYPES.items()
}


class UploadRejected(DomainError):
    """The file is not an image Byline accepts; the message is for the user."""


class UploadTooLarge(UploadRejected):
    """The file is over MAX_BYTES; refused before it is decoded."""


class BodyImageIncomplete(UploadRejected):
    """The image for the body, its alt text, or both were not given: a message for each."""

    def __init__(self, messages: dict[str, str]):
        super().__init__(" ".join(messages.values()), next(iter(messages)))
        self.messages = messages

    @property
    def errors(self) -> dict[str, str]:
        return dict(self.messages)


class UploadNotStored(UploadRejected):
    """The image was fine but the uploads folder could not take it (full, read-only)."""


@dataclass
class Decoded:
    kind: str  # a key of FORMATS
    frames: list[Image.Image]  # one, unless an animated GIF
    durations: list[int]  # per frame, for an animation
    icc_profile: bytes | None  # colour data is kept; every other piece of metadata is not


def check_structure(data: bytes) -> Shape:
    """Refuse, before Pillow reads it, a file built to make its decoder work long: too many
    frames, blocks or scans."""
    shape = shape_of(data, MAX_STEPS)
    if shape.frames > MAX_FRAMES:
        raise UploadRejected(TOO_MANY_FRAMES)
    if shape.steps > MAX_STEPS or shape.scans > MAX_SCANS:
        raise UploadRejected(TOO_COMPLEX)
    return shape


def check_pixels(probe: Image.Image, shape: Shape) -> None:
    """Refuse, before any pixel is decoded, an image with more pixels than Byline decodes,
    counting every frame of an animation, or more metadata than it reads."""
    if READ_AS.get(probe.format, probe.format) not in FORMATS:
        raise UploadRejected("Please upload a JPEG, PNG, WebP or GIF image.")
    if probe.format in ("PNG", "WEBP") and getattr(probe, "n_frames", 1) > 1:  # acTL, ANIM
        raise UploadRejected(ONLY_GIF_ANIMATES)
    width, height = max(probe.width, shape.width), max(probe.height, shape.height)
    if width * height > MAX_PIXELS:
        raise UploadRejected(TOO_MANY_PIXELS)
    if width * height * shape.frames > MAX_PIXELS:
        raise UploadRejected(ANIMATION_TOO_LARGE)
    if (
        len(probe.info.get("icc_profile") or b"") > MAX_ICC_BYTES
        or len(probe.info.get("exif") or b"") > MAX_EXIF_BYTES
    ):
        raise UploadRejected(METADATA_TOO_LARGE)


def decode_animation(image: Image.Image) -> Decoded:
    """Every frame of a GIF that the checks let through, in one pass."""
    frames, durations = [], []
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        # Seeking sets a frame's size before its pixels are read: a file Pillow reads
        # differently from gif_shape() stops here, within the same bounds.
        if index >= MAX_FRAMES or (index + 1) * frame.width * frame.height > MAX_PIXELS:
            raise UploadRejected(ANIMATION_TOO_LARGE)
        durations.append(frame.info.get("duration", 100))
        frames.append(frame.convert("RGBA"))
    return Decoded("GIF", frames, durations, None)


def unreadable_message(data: bytes) -> str:
    """Why a file Pillow cannot read is refused, named for the phone photo it may be."""
    if data[4:8] == b"ftyp" and data[8:12] in HIGH_EFFICIENCY_BRANDS:
        return HIGH_EFFICIENCY_PHOTO
    return NOT_AN_IMAGE


def decode(data: bytes) -> Decoded:
    """Verify and decode an upload, checking its size, structure and canvas before any
    pixel is decoded, so a small file cannot expand into gigabytes or minutes of work."""
    if len(data) > MAX_BYTES:
        raise UploadTooLarge(TOO_MANY_BYTES)
    shape = check_structure(data)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = READ_AS.get(probe.format, probe.format)
            check_pixels(probe, shape)
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if shape.frames > 1:
            return decode_animation(image)
        image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        # Pillow's own guard, for canvases past twice its limit (the warning is raised
        # only where warnings are errors); both fire before any pixel is decoded.
        raise UploadRejected(TOO_MANY_PIXELS) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        # ValueError: Pillow's limits on a PNG's compressed text and colour profile.
        raise UploadRejected(unreadable_message(data)) from exc
    # A colour profile describes the pixels as decoded; after a mode change it would lie.
    icc_profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    image = ImageOps.exif_transpose(image)
    if kind == "JPEG" or image.mode not in ("RGB", "RGBA"):
        keeps_alpha = kind != "JPEG" and image.has_transparency_data
        image = image.convert("RGBA" if keeps_alpha else "RGB")
    return Decoded(kind, [image], [], icc_profile)


def encode(decoded: Decoded, frames: list[Image.Image]) -> bytes:
    """Pixels only: EXIF, XMP, comments and text chunks never reach the stored file."""
    for frame in frames:
        frame.info = {}
    options: dict = {}
    if decoded.icc_profile:
        options["icc_profile"] = decoded.icc_profile
    if decoded.kind in ("JPEG", "WEBP"):
        options.update(quality=85, optimize=True)
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=decoded.durations, loop=0)
    buffer = io.BytesIO()
    frames[0].save(buffer, format=decoded.kind, **options)
    return buffer.getvalue()


def served_type(path: str) -> str | None:
    """The content type a stored file is served with, from the extension Byline gave it;
    None for anything that is not one of our images (temporary files included)."""
    name = path.rsplit("/", 1)[-1]
    stem, _, ext = name.rpartition(".")
    return SERVED_TYPES.get(ext) if stem and not name.startswith(".") else None


def store_image(
    data: bytes,
    original_name: str = "",
    *,
    uploaded_by_id: int | None = None,
    field: str | None = None,
    before_decoding: Callable[[], None] | None = None,
) -> Upload:
    """Decode, re-encode and store an image with smaller renditions; adds the row (no commit).
    The same file sent again by the same writer is not stored twice: their earlier upload
    of it is returned, while its files are all in place.

    `before_decoding` is called when a new image is about to be decoded, and may refuse it
    by raising UploadRejected (the editor counts it there against the writer's limit).
    Raises UploadRejected for a file that is not a usable image, and its subclass
    UploadNotStored when the uploads folder cannot take it (nothing is left behind); the
    refusal names `field`, the form field the file came from."""
    try:
        digest = hashlib.sha256(data).hexdigest()
        if uploaded_by_id is not None and (earlier := earlier_upload(digest, uploaded_by_id)):
            return earlier
        if before_decoding is not None:
            before_decoding()
        return _store_image(data, original_name, uploaded_by_id, digest)
    except UploadRejected as error:
        error.field = error.field or field
        raise


def earlier_upload(digest: str, owner_id: int) -> Upload | None:
    """The writer's latest upload of the file with this sha256 whose stored files are all
    still there, else None."""
    root = uploads_root()
    candidates = db.session.scalars(
        select(Upload)
        .where(Upload.sha256 == digest, Upload.uploaded_by_id == owner_id)
        .order_by(Upload.id.desc())
    )
    for upload in candidates:
        if all((root / path).is_file() for path in upload.stored_paths()):
            return upload
    return None


def _store_image(
    data: bytes, original_name: str, uploaded_by_id: int | None, digest: str
) -> Upload:
    decoded = decode(data)
    image = decoded.frames[0]
    content_type, ext = FORMATS[decoded.kind]
    folder = f"{utcnow():%Y/%m}"
    name = secrets.token_hex(8)

    path = f"{folder}/{name}.{ext}"
    encoded = encode(decoded, decoded.frames)
    files = {path: encoded}
    variants = {}
    renditions = []
    # An animation is kept whole: resizing every frame is not worth its cost.
    for width in rendition_widths(image.width, VARIANT_WIDTHS) if len(decoded.frames) == 1 else ():
        if width == image.width:
            renditions.append(Rendition(width, image, len(encoded)))
            continue
        smaller = resized(image, width)
        variant_path = f"{folder}/{name}-{width}.{ext}"
        files[variant_path] = encode(decoded, [smaller])
        variants[str(width)] = variant_path
        renditions.append(Rendition(width, smaller, len(files[variant_path])))
    modern, recorded = image_formats.modern_files(
        f"{folder}/{name}", decoded.kind, renditions, decoded.icc_profile
    )
    files |= modern
    variants |= recorded
    try:
        write_files(folder, files)
    except OSError as exc:
        raise UploadNotStored(NOT_STORED) from exc

    upload = Upload(
        path=path,
        original_name=strip_control_characters(original_name)[:255],
        content_type=content_type,
        size_bytes=len(encoded),
        width=image.width,
        height=image.height,
        sha256=digest,
        variants=variants,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(upload)
    return upload


def keep_image(
    data: bytes,
    original_name: str = "",
    *,
    uploaded_by_id: int,
    field: str | None = None,
    before_decoding: Callable[[], None] | None = None,
) -> Upload:
    """store_image, committed: for an image that must outlive the form it came with (a
    cover chosen on a form that is sent back with an error elsewhere)."""
    try:
        upload = store_image(
            data,
            original_name,
            uploaded_by_id=uploaded_by_id,
            field=field,
            before_decoding=before_decoding,
        )
    except UploadRejected:
        db.session.rollback()
        raise
    db.session.commit()
    return upload


def keep_body_image(
    data: bytes | None,
    original_name: str,
    alt: str,
    *,
    uploaded_by_id: int,
    before_decoding: Callable[[], None] | None = None,
) -> str:
    """Store an image for an article's or a page's body (committed) and return the Markdown
    line that embeds it. `data` is None when no file was chosen; a refusal names the form
    field it belongs beside (`body_image`, `body_image_alt`). `before_decoding` as for
    store_image."""
    alt = " ".join(alt.split())
    missing = {}
    if data is None:
        missing["body_image"] = NO_IMAGE_CHOSEN
    if not alt:
        missing["body_image_alt"] = NO_ALT_TEXT
    if missing:
        raise BodyImageIncomplete(missing)
    upload = keep_image(
        data,
        original_name,
        uploaded_by_id=uploaded_by_id,
        field="body_image",
        before_decoding=before_decoding,
    )
    return image_markdown(upload, alt)


def image_markdown(upload: Upload, alt: str) -> str:
    """`![alt](/uploads/...)`, naming the largest rendition (the original when smaller)."""
    path = upload.variants.get(str(VARIANT_WIDTHS[-1]), upload.path)
    return f"![{alt.translate(ESCAPED_IN_ALT)}]({url_for('public.upload', path=path)})"


def backfill_formats(limit: int | None = None) -> image_formats.BackfillResult:
    """The WebP and AVIF copies for uploads stored before Byline made them."""
    return image_formats.backfill(uploads_root(), VARIANT_WIDTHS, limit)


def own_upload(upload_id: int | None, owner_id: int) -> Upload | None:
    """The upload with this id if `owner_id` uploaded it, else None: a form may only name
    an image its own sender uploaded, never guess its way to someone else's."""
    if upload_id is None:
        return None
    return db.session.scalar(
        select(Upload).where(Upload.id == upload_id, Upload.uploaded_by_id == owner_id)
    )
