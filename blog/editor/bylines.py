"""The article editor's byline fields: the lead author (editors choose it) and up to five
co-authors in order, each a plain select, so the list works without JavaScript."""

from flask_login import current_user
from wtforms import SelectChoice, SelectField

from blog.forms import BaseForm
from blog.models import Article
from blog.permissions import is_editor
from blog.services import newsroom
from blog.services.bylines import MAX_AUTHORS, credited_ids

COAUTHOR_FIELDS = tuple(f"coauthor_{n}" for n in range(1, MAX_AUTHORS))


def person_id(value) -> int | None:
    """A chosen person's id; None for the blank choice."""
    return int(value) if value not in (None, "", "None") else None


class BylineFields(BaseForm):
    """Mixed into the article form; the co-author fields are added below, one per place."""

    author_id = SelectField("Lead author", coerce=int)

    def coauthor_fields(self) -> list[SelectField]:
        return [self[name] for name in COAUTHOR_FIELDS]


for _number, _name in enumerate(COAUTHOR_FIELDS, start=1):
    setattr(BylineFields, _name, SelectField(f"Co-author {_number}", coerce=person_id))


def people_choices(*, keep_ids=(), everyone: bool = False) -> list[SelectChoice]:
    """Active people (or everyone), plus those in `keep_ids` (credited on the article
    before they left)."""
    people = newsroom.people(keep_ids=keep_ids, everyone=everyone)
    return [SelectChoice(user.id, user.display_name) for user in people]


def byline_data(article: Article | None) -> dict:
    """The fields' values: the article's authors in order, or the writer alone."""
    if article is None:
        return {"author_id": current_user.id}
    data: dict = {"author_id": article.author_id}
    for name, link in zip(COAUTHOR_FIELDS, article.coauthor_links, strict=False):
        data[name] = link.user_id
    return data


def fill_byline(form: BylineFields, article: Article | None) -> None:
    """Give the selects their people; only editors see the lead author's."""
    keep_ids = credited_ids(article) if article else set()
    choices = people_choices(keep_ids=keep_ids)
    for name in COAUTHOR_FIELDS:
        form[name].choices = [SelectChoice("", "—"), *choices]
    if is_editor(current_user):
        form.author_id.choices = choices
    else:
        del form.author_id


def lead_author_id(form: BylineFields, article: Article | None) -> int:
    if "author_id" in form:
        return form.author_id.data
    return article.author_id if article else current_user.id


def chosen_author_ids(form: BylineFields, article: Article | None) -> list[int]:
    """Everyone credited, lead first, in the order of the selects; blanks are skipped."""
    coauthors = [form[name].data for name in COAUTHOR_FIELDS]
    return [lead_author_id(form, article), *(i for i in coauthors if i is not None)]
