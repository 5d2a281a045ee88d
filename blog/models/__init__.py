"""Byline's data model; importing this package registers every table."""

from blog.models.articles import Article, EditorComment
from blog.models.comments import MAX_DEPTH, Comment
from blog.models.enums import ArticleStatus, CommentStatus, Role, SlugKind
from blog.models.outbox import JobFailure, JobMark, OutboxMessage
from blog.models.settings import SiteSetting
from blog.models.shares import NETWORKS, ShareReceipt, ShareTally
from blog.models.taxonomy import OldSlug, Section, Topic, article_topics
from blog.models.uploads import Upload
from blog.models.users import User

__all__ = [
    "MAX_DEPTH",
    "NETWORKS",
    "Article",
    "ArticleStatus",
    "Comment",
    "CommentStatus",
    "EditorComment",
    "JobFailure",
    "JobMark",
    "OldSlug",
    "OutboxMessage",
    "Role",
    "Section",
    "ShareReceipt",
    "ShareTally",
    "SiteSetting",
    "SlugKind",
    "Topic",
    "Upload",
    "User",
    "article_topics",
]
