"""Command-line tasks: init, create-user, demo, set-password, reset-two-factor, check,
worker, image-formats."""

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from blog.checks import check_command
from blog.importers.commands import register as register_importers
from blog.models import Role
from blog.services import two_factor, users
from blog.sitedata.commands import register as register_sitedata
from blog.startcheck import redis_problem


def register(app: Flask) -> None:
    app.cli.add_command(init_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(set_password_command)
    app.cli.add_command(reset_two_factor_command)
    app.cli.add_command(check_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(image_formats_command)
    register_sitedata(app)
    register_importers(app)


@click.command("init")
@click.option("--admin-email", default="admin@byline.example", show_default=True)
def init_command(admin_email: str) -> None:
    """Create or upgrade the schema; on an empty site, create the first admin."""
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url and (problem := redis_problem(redis_url)):
        raise click.ClickException(problem)
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("Database schema is up to date.")
    if users.count_users() == 0:
        password = users.generate_password()
        admin = users.create_first_admin(admin_email, password)
        click.echo("Created the first admin account (the password is shown only once):")
        click.echo(f"  e-mail:   {admin.email}")
        click.echo(f"  password: {password}")
        click.echo(
            "On first sign-in at /editor/login it is asked for the name readers will see "
            f"(until then it is called {admin.display_name!r}) and to choose a new password: "
            "this one works only until then."
        )
    else:
        admin = users.first_admin()
        if admin is not None:
            click.echo(
                f"Admin account: {admin.email} (its password was printed when it was created; "
                f"'flask --app blog set-password {admin.email}' sets a new one)."
            )


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.AUTHOR.value,
    show_default=True,
)
@click.option("--password", help="Omit to generate one.")
def create_user_command(email: str, display_name: str, role: str, password: str | None) -> None:
    """Create a newsroom account."""
    password = password or users.generate_password()
    try:
        user = users.create_user(email, display_name, Role(role), password)
    except users.UserRejected as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email} with password: {password}")
    click.echo("It works once: the first sign-in asks for a new password.")


@click.command("demo")
def demo_command() -> None:
    """Fill an empty site with demo content (does nothing when articles exist)."""
    from blog import demo

    created = demo.load()
    if created:
        click.echo(f"Demo content created: {created} articles.")
    else:
        click.echo("The site already has articles; demo content was not added.")


@click.command("set-password")
@click.argument("email")
@click.option("--password", help="Omit to generate one.")
def set_password_command(email: str, password: str | None) -> None:
    """Give an account a new password (for a lost admin login); ends its sessions."""
    password = password or users.generate_password()
    try:
        user = users.reset_password(email, password)
    except users.UserRejected as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"New password for {user.email}: {password}")
    click.echo("It works once: the next sign-in asks for a new password.")


@click.command("reset-two-factor")
@click.argument("email")
def reset_two_factor_command(email: str) -> None:
    """Remove an account's second factors (a lost phone and codes); ends its sessions.

    An account with no second factor is left alone ("nothing to reset"; exit code 1)."""
    user = users.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    try:
        two_factor.reset(user, actor=None)
    except two_factor.TwoFactorRejected as exc:
        raise click.ClickException(f"{user.email}: {exc.message}") from exc
    click.echo(
        f"Two-factor sign-in is reset for {user.email}: its authenticator app, recovery codes "
        "and passkeys are removed and it is signed out everywhere. It signs in with its "
        "password and sets up a second factor again."
    )


@click.command("worker")
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Threads."
)
@click.option("--verbose", is_flag=True, help="Log every task run, not only problems.")
def worker_command(workers: int, verbose: bool) -> None:
    """Run the background jobs: send mail, publish scheduled articles (Ctrl-C stops)."""
    import logging

    from blog import pagecache
    from blog.jobs import jobs

    app = current_app._get_current_object()
    queue = jobs(app)
    huey_log = logging.getLogger("huey")
    for handler in logging.getLogger(app.name).handlers:
        if handler not in huey_log.handlers:
            huey_log.addHandler(handler)
    huey_log.setLevel(logging.INFO if verbose else logging.WARNING)
    consumer = queue.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, max_delay=2.0
    )
    queue.start()
    pagecache.start_sweeping(app)
    app.logger.info("worker started: %d thread(s), queue %s", workers, queue.describe())
    consumer.run()


@click.command("image-formats")
@click.option("--limit", type=click.IntRange(1), help="Stop after this many uploads.")
def image_formats_command(limit: int | None) -> None:
    """Make the WebP and AVIF copies of uploads stored before Byline made them (safe to
    run again, and to stop: each upload is committed as it is done)."""
    from blog.services import uploads

    try:
        result = uploads.backfill_formats(limit)
    except uploads.UploadNotStored as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"WebP/AVIF copies made for {result.made} upload(s); "
        f"{result.smaller_as_is} would be no smaller in those formats."
    )
    for path in result.missing:
        click.echo(f"Skipped {path}: a stored file of it is missing or unreadable.", err=True)
