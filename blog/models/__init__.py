"""Byline's data model; importing this package registers every table."""

from blog.models.articles import Article, ArticleCoauthor, EditorComment
from blog.models.audit import AuditEntry
from blog.models.comments import MAX_DEPTH, Comment, CommentReport
from blog.models.corrections import Correction, CorrectionKind
from blog.models.curation import FrontPagePick, MenuLink
from blog.models.enums import (
    ArticleStatus,
    CommentStatus,
    MenuLinkKind,
    MenuName,
    PageStatus,
    Role,
    SlugKind,
)
from blog.models.follows import Mailing, Subscriber, Subscription, ThreadFollow
from blog.models.imports import ImportedItem, OldUrl
from blog.models.outbox import JobFailure, JobMark, OutboxMessage
from blog.models.pages import Page
from blog.models.revisions import Revision
from blog.models.settings import SiteSetting
from blog.models.shares import NETWORKS, ShareReceipt, ShareTally
from blog.models.taxonomy import OldSlug, Section, Topic, article_topics
from blog.models.two_factor import Passkey, RecoveryCode
from blog.models.uploads import Upload
from blog.models.users import User

__all__ = [
    "MAX_DEPTH",
    "NETWORKS",
    "Article",
    "ArticleCoauthor",
    "ArticleStatus",
    "AuditEntry",
    "Comment",
    "CommentReport",
    "CommentStatus",
    "Correction",
    "CorrectionKind",
    "EditorComment",
    "FrontPagePick",
    "ImportedItem",
    "JobFailure",
    "JobMark",
    "Mailing",
    "MenuLink",
    "MenuLinkKind",
    "MenuName",
    "OldSlug",
    "OldUrl",
    "OutboxMessage",
    "Page",
    "PageStatus",
    "Passkey",
    "RecoveryCode",
    "Revision",
    "Role",
    "Section",
    "ShareReceipt",
    "ShareTally",
    "SiteSetting",
    "SlugKind",
    "Subscriber",
    "Subscription",
    "ThreadFollow",
    "Topic",
    "Upload",
    "User",
    "article_topics",
]
