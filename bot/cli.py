"""`hrbot`: the command-line tool for staff and operators."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

from bot import config
from bot.config import DEFAULT_DATA_DIR


def _actor(args: argparse.Namespace) -> str:
    return args.actor or config.actor()


def _print_errors(errors, path) -> None:
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{len(errors)} error(s) in {path}; nothing was changed.", file=sys.stderr)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.db.migrate import upgrade

    upgrade(revision=args.revision)
    print(f"Database is at revision {args.revision}.")
    return 0


def cmd_data_validate(args: argparse.Namespace) -> int:
    from bot.dataset.validate import load_dataset

    dataset = load_dataset(Path(args.path))
    if dataset.errors:
        for error in dataset.errors:
            print(error, file=sys.stderr)
        print(f"{len(dataset.errors)} error(s) in {args.path}", file=sys.stderr)
        return 1
    print(
        f"OK: {len(dataset.profiles)} profiles, {len(dataset.resources)} resources, "
        f"{len(dataset.guides)} guides in {args.path}"
    )
    return 0


def cmd_data_import(args: argparse.Namespace) -> int:
    from bot.dataset.importer import import_dataset
    from bot.dataset.validate import load_dataset
    from bot.db.engine import new_session

    dataset = load_dataset(Path(args.path))
    if dataset.errors:
        _print_errors(dataset.errors, args.path)
        return 1
    with new_session() as session, session.begin():
        counts = import_dataset(
            session, dataset, actor=_actor(args), prune=args.prune, show_progress=sys.stderr.isatty()
        )
        if args.dry_run:
            session.rollback()
    if args.verbose:
        for change in counts.changes:
            print(change)
    print(("Dry run, nothing saved: " if args.dry_run else "Imported: ") + str(counts))
    return 0


def cmd_data_export(args: argparse.Namespace) -> int:
    from bot.dataset.exporter import collect, export_to_directory, render
    from bot.db.engine import new_session

    if args.out and args.format == "yaml" and not args.out.endswith((".yaml", ".yml")):
        if args.topic or args.state:
            print("error: --topic and --state export one document; give --out a .yaml file", file=sys.stderr)
            return 2
        with new_session() as session:
            result = export_to_directory(session, Path(args.out))
        for path in result.written:
            print(f"wrote {path}")
        for path in result.removed:
            print(f"removed {path} (its records are now in the files above)")
        return 0
    with new_session() as session:
        exported = collect(session, topic=args.topic, state=args.state)
    text = render(exported, args.format)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_data_import_sites(args: argparse.Namespace) -> int:
    from bot.dataset.importer import import_dataset
    from bot.dataset.sites import SiteSource, parse_mapping, plan_sites
    from bot.db.engine import new_session

    try:
        mapping = parse_mapping(args.map or [])
        accessed = dt.date.fromisoformat(args.accessed) if args.accessed else dt.date.today()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    source = SiteSource(args.source_url, args.source_title, args.source_publisher, accessed)
    with new_session() as session, session.begin():
        plan = plan_sites(session, Path(args.file), args.kind, source, mapping, args.state)
        for skipped in plan.skipped:
            print(f"skipped {skipped}")
        if plan.dataset.errors:
            _print_errors(plan.dataset.errors, args.file)
            return 1
        counts = import_dataset(
            session, plan.dataset, actor=_actor(args), source="import-sites", show_progress=sys.stderr.isatty()
        )
        if args.dry_run:
            session.rollback()
    prefix = "Dry run, nothing saved: " if args.dry_run else "Imported sites: "
    print(f"{prefix}{counts}, {len(plan.skipped)} duplicate(s) skipped")
    return 0


def cmd_data_import_directory(args: argparse.Namespace) -> int:
    from bot.db.engine import new_session
    from bot.directory import apply_import, plan_import

    with new_session() as session, session.begin():
        plan = plan_import(session, Path(args.folder))
        if plan.errors:
            for error in plan.errors[:50]:
                print(f"error: {error}", file=sys.stderr)
            more = len(plan.errors) - 50
            print(
                f"{len(plan.errors)} error(s){f' ({more} not shown)' if more > 0 else ''}: nothing imported",
                file=sys.stderr,
            )
            return 1
        for entry in plan.directories:
            key = entry["key"]
            print(
                f"{key} ({entry['as_of']}): {len(plan.rows[key])} sites; {plan.added[key]} added, "
                f"{plan.removed[key]} closed or no longer listed, {plan.changed[key]} changed, "
                f"{plan.unchanged[key]} unchanged; {plan.territories[key]} in territories left out"
            )
        if args.dry_run:
            print("Dry run: nothing saved.")
            return 0
        apply_import(session, plan)
    print("Imported.")
    return 0


def cmd_data_stale(args: argparse.Namespace) -> int:
    from bot.dataset.exporter import collect
    from bot.dataset.reports import stale_entries
    from bot.db.engine import new_session

    with new_session() as session:
        entries = stale_entries(collect(session), args.days)
    for entry in entries:
        print(f"{entry.last_verified.isoformat()}  {entry.days:>5} days  {entry.section[:-1]:<8} {entry.key}")
    print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} last verified more than {args.days} days ago.")
    return 0


def cmd_data_coverage(args: argparse.Namespace) -> int:
    from bot.dataset.exporter import collect
    from bot.dataset.reports import coverage, render_coverage, render_field_report
    from bot.db.engine import new_session

    with new_session() as session:
        profiles = collect(session)["profiles"]
    print(render_coverage(coverage(profiles)))
    print()
    print(render_field_report(profiles))
    return 0


def _new_password(args: argparse.Namespace) -> str | None:
    """The new password: one line from standard input, or typed twice without echo."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("New password: ")
    if password != getpass.getpass("Repeat the password: "):
        print("error: the two passwords are not the same; nothing was changed.", file=sys.stderr)
        return None
    return password


def _account_change(change) -> int:
    """Run `change(session)` in one transaction; print its message, or the reason it was refused."""
    from bot.admin.accounts import AccountError
    from bot.db.engine import new_session

    try:
        with new_session() as session, session.begin():
            message = change(session)
    except AccountError as exc:
        print(f"error: {exc}; nothing was changed.", file=sys.stderr)
        return 1
    print(message)
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    from bot.admin.accounts import create_user

    password = _new_password(args)
    if password is None:
        return 1
    return _account_change(
        lambda session: f"Added {args.role} {create_user(session, args.username, args.role, password).username}."
    )


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from bot.admin.accounts import find_user, get_user, set_password
    from bot.db.engine import new_session

    with new_session() as session:
        if find_user(session, args.username) is None:
            print(f"error: there is no user named {args.username!r}", file=sys.stderr)
            return 1
    password = _new_password(args)
    if password is None:
        return 1

    def change(session):
        user = get_user(session, args.username)
        set_password(session, user, password)
        return f"New password set for {user.username}; their open sessions have ended."

    return _account_change(change)


def cmd_users_set_active(args: argparse.Namespace) -> int:
    """`users disable` and `users enable`: the same change, told apart by args.active."""
    from bot.admin.accounts import get_user, set_active

    def change(session):
        user = get_user(session, args.username)
        set_active(session, user, args.active)
        return (
            f"Enabled {user.username}." if args.active else f"Disabled {user.username}; their open sessions have ended."
        )

    return _account_change(change)


def cmd_users_unlock(args: argparse.Namespace) -> int:
    from bot.admin.accounts import get_user, unlock

    def change(session):
        user = get_user(session, args.username)
        forgotten = unlock(session, user.username)
        return f"Unlocked {user.username} ({forgotten} failed sign-ins forgotten)."

    return _account_change(change)


def cmd_users_list(args: argparse.Namespace) -> int:
    from bot.admin.accounts import list_users
    from bot.db.engine import new_session

    with new_session() as session:
        users = list_users(session)
    for user in users:
        print(f"{user.username:<40} {user.role:<9} {'active' if user.active else 'disabled'}")
    print(f"{len(users)} account(s).")
    return 0


def cmd_admin_serve(args: argparse.Namespace) -> int:
    """Serve the staff admin with werkzeug's threaded server.

    That is enough for a small nonprofit's handful of staff; on a network, put it behind a
    reverse proxy that adds HTTPS (and set HRBOT_ADMIN_SECURE_COOKIE=1).
    """
    from werkzeug.serving import run_simple

    from bot.admin.accounts import first_reviewer_notice
    from bot.admin.app import create_app
    from bot.db.engine import new_session

    app = create_app()
    with new_session() as session, session.begin():
        notice = first_reviewer_notice(session)
    if notice:
        print(notice, end="", flush=True)
    print(f"Staff admin: http://{args.host}:{args.port}/admin/  (Ctrl-C stops it)", flush=True)
    run_simple(args.host, args.port, app, threaded=True)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.launcher import serve

    return serve(host=args.host, scaled=args.scaled, replicas=args.replicas, action_replicas=args.action_replicas)


def cmd_widget_strings(args: argparse.Namespace) -> int:
    from bot.widget_strings import WIDGET_SCRIPT, write_strings

    changed = write_strings()
    print(
        f"{WIDGET_SCRIPT.name}: {'strings updated from data/texts' if changed else 'strings already match data/texts'}"
    )
    return 0


def cmd_widget_serve(args: argparse.Namespace) -> int:
    from bot.widget_demo import serve_demo

    try:
        return serve_demo(host=args.host, port=args.port, bot_url=args.bot_url)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _state_code(value: str) -> str:
    from bot.jurisdictions import JURISDICTIONS

    code = value.strip().upper()
    if code not in JURISDICTIONS:
        raise argparse.ArgumentTypeError(f"{value!r} is not a two-letter code of the 50 states or DC")
    return code


def build_parser() -> argparse.ArgumentParser:
    from bot.admin.accounts import ROLES
    from bot.dataset.exporter import FORMATS
    from bot.dataset.schema import RESOURCE_KINDS, TOPICS
    from bot.widget_demo import DEFAULT_BOT_URL, DEFAULT_PORT

    parser = argparse.ArgumentParser(prog="hrbot", description="Harm reduction resource chatbot tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="database schema", description="Manage the database schema.")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="SUBCOMMAND")
    upgrade = db_commands.add_parser("upgrade", help="apply schema migrations (DATABASE_URL)")
    upgrade.add_argument("revision", nargs="?", default="head", help="target revision (default: head)")
    upgrade.set_defaults(handler=cmd_db_upgrade)

    data = commands.add_parser(
        "data",
        help="check, import and export the resource data",
        description="Check, import and export the resource data in data/resources/.",
    )
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="SUBCOMMAND")
    default_path = str(DEFAULT_DATA_DIR)

    validate = data_commands.add_parser("validate", help="check data files against the schema (exit 1 on any error)")
    validate.add_argument("path", nargs="?", default=default_path, help="file or directory (default: data/resources)")
    validate.set_defaults(handler=cmd_data_validate)

    load = data_commands.add_parser(
        "import",
        help="validate, then load data files into the database in one transaction",
        description="Validate, then upsert every record in one transaction: on any error nothing changes.",
    )
    load.add_argument("path", nargs="?", default=default_path, help="file or directory (default: data/resources)")
    load.add_argument(
        "--prune",
        action="store_true",
        help="also remove records of the imported kinds that PATH no longer has (use with the whole data directory)",
    )
    load.add_argument("--dry-run", action="store_true", help="show the counts without saving")
    load.add_argument("--actor", help="name recorded in the change log (default: cli:<user>)")
    load.add_argument("-v", "--verbose", action="store_true", help="list every added, changed and removed record")
    load.set_defaults(handler=cmd_data_import)

    export = data_commands.add_parser(
        "export",
        help="write the database's records as YAML, JSON or CSV (imports back unchanged)",
        description="Export records. YAML to a directory writes the data/resources layout; otherwise one document.",
    )
    export.add_argument("--format", choices=FORMATS, default="yaml")
    export.add_argument("--topic", choices=TOPICS, help="only this topic")
    export.add_argument("--state", type=_state_code, help="only this state (two-letter code)")
    export.add_argument(
        "--out",
        help="file, or for YAML a directory: it then holds exactly the exported records "
        "(e.g. data/resources; other data files there are removed); default: standard output",
    )
    export.set_defaults(handler=cmd_data_export)

    sites = data_commands.add_parser(
        "import-sites",
        help="bulk import local sites from a CSV directory export",
        description="Import a CSV list of sites (one row each). Rows that repeat, in the file or "
        "in the database, are skipped; any invalid row stops the whole import.",
    )
    sites.add_argument("file", help="CSV file with a header row")
    sites.add_argument("--kind", required=True, choices=RESOURCE_KINDS, help="what kind of site every row is")
    sites.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="take FIELD (name, address, city, state, zip, phone, url, ...) from COLUMN; repeatable",
    )
    sites.add_argument("--state", type=_state_code, help="state for rows without a state column")
    sites.add_argument("--source-url", required=True, help="where the list came from (cited on every site)")
    sites.add_argument("--source-title", required=True, help="title of the source list")
    sites.add_argument("--source-publisher", required=True, help="who publishes the list")
    sites.add_argument("--accessed", help="date the list was downloaded, YYYY-MM-DD (default: today)")
    sites.add_argument("--dry-run", action="store_true", help="check and count without saving")
    sites.add_argument("--actor", help="name recorded in the change log (default: cli:<user>)")
    sites.set_defaults(handler=cmd_data_import_sites)

    directory = data_commands.add_parser(
        "import-directory",
        help="import the treatment directories the locator searches (data/sites)",
        description="Import every directory listed in FOLDER/directories.yaml (SAMHSA's methadone "
        "programs and treatment locator), replacing what the database holds for each. Prints what is "
        "added, closed, changed and unchanged. Any bad row imports nothing.",
    )
    directory.add_argument("folder", nargs="?", default="data/sites", help="default: data/sites")
    directory.add_argument("--dry-run", action="store_true", help="check and show the changes without saving")
    directory.set_defaults(handler=cmd_data_import_directory)

    stale = data_commands.add_parser("stale", help="list records not verified in the last N days")
    stale.add_argument("--days", type=int, default=180, help="age in days (default: 180)")
    stale.set_defaults(handler=cmd_data_stale)

    cover = data_commands.add_parser(
        "coverage", help="table of states x topics: unknown fields and oldest verification"
    )
    cover.set_defaults(handler=cmd_data_coverage)
    serve = commands.add_parser(
        "serve",
        help="start the bot, the widget demo and the staff admin (what `make run` runs)",
        description="Start the Rasa server, the action server, the widget demo (8080) and the staff "
        "admin (8081), and stop them all on Ctrl-C.",
    )
    serve.add_argument(
        "--host", default=config.rasa_host(), help="interface for the Rasa server (default: 127.0.0.1, or $RASA_HOST)"
    )
    serve.add_argument(
        "--scaled",
        action="store_true",
        help="scaled mode on this machine: several Rasa servers and action servers behind HAProxy, conversations "
        "in PostgreSQL, locks in Redis (README, 'Scaling out')",
    )
    serve.add_argument(
        "--replicas", type=int, choices=range(1, 9), default=2, metavar="N", help="Rasa servers (--scaled; default 2)"
    )
    serve.add_argument(
        "--action-replicas",
        type=int,
        choices=range(1, 9),
        default=2,
        metavar="N",
        help="action servers (--scaled; default 2)",
    )
    serve.set_defaults(handler=cmd_serve)

    users = commands.add_parser(
        "users",
        help="staff accounts for the admin",
        description="Manage staff accounts for the admin. Editors write drafts; reviewers publish them.",
    )
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="SUBCOMMAND")
    add_user = user_commands.add_parser(
        "add",
        help="add an account (asks for the password twice)",
        description="Add an account. The password is asked for twice, or read from standard input.",
    )
    add_user.add_argument("username", help="lower-case letters, digits, dots, dashes or underscores")
    add_user.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="editor: writes drafts; reviewer: also publishes, reverts and manages accounts",
    )
    add_user.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of standard input"
    )
    add_user.set_defaults(handler=cmd_users_add)
    passwd = user_commands.add_parser("passwd", help="set a new password (ends the account's open sessions)")
    passwd.add_argument("username")
    passwd.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of standard input"
    )
    passwd.set_defaults(handler=cmd_users_passwd)
    disable = user_commands.add_parser("disable", help="disable an account (ends its open sessions)")
    disable.add_argument("username")
    disable.set_defaults(handler=cmd_users_set_active, active=False)
    enable = user_commands.add_parser("enable", help="enable a disabled account again")
    enable.add_argument("username")
    enable.set_defaults(handler=cmd_users_set_active, active=True)
    unlock_user = user_commands.add_parser("unlock", help="let an account sign in again after too many failed tries")
    unlock_user.add_argument("username")
    unlock_user.set_defaults(handler=cmd_users_unlock)
    list_users = user_commands.add_parser("list", help="list accounts with their role and status")
    list_users.set_defaults(handler=cmd_users_list)

    admin = commands.add_parser(
        "admin",
        help="the staff admin web app",
        description="The web app where staff edit, review and publish the resource data.",
    )
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="SUBCOMMAND")
    admin_serve = admin_commands.add_parser(
        "serve",
        help="start the staff admin (werkzeug server; put HTTPS in front on a network)",
        description="Start the staff admin. With no accounts yet, it first creates reviewer 'admin' "
        "and prints its password once.",
    )
    admin_serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)")
    admin_serve.add_argument("--port", type=int, default=8081, help="port (default: 8081)")
    admin_serve.set_defaults(handler=cmd_admin_serve)

    widget = commands.add_parser(
        "widget",
        help="the embeddable web chat widget",
        description="The web chat widget in widget/ (embedded with one <script> tag).",
    )
    widget_commands = widget.add_subparsers(dest="widget_command", required=True, metavar="SUBCOMMAND")
    widget_serve = widget_commands.add_parser(
        "serve",
        help="serve the widget and its demo page (a sample organization's site)",
        description="Serve widget/: the demo page at / and the widget's files under /widget/. "
        "The bot accepts browsers only from the origins listed in credentials.yml or "
        "HRBOT_WIDGET_ORIGINS (by default http://localhost:8080 and http://127.0.0.1:8080).",
    )
    widget_serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    widget_serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    widget_serve.add_argument(
        "--bot-url",
        default=DEFAULT_BOT_URL,
        help=f"the Rasa server the demo page talks to (default: {DEFAULT_BOT_URL})",
    )
    widget_serve.set_defaults(handler=cmd_widget_serve)
    widget_strings = widget_commands.add_parser(
        "strings",
        help="copy the widget's words from data/texts into widget/hrbot-widget.js",
        description="Rewrite the generated STRINGS block of widget/hrbot-widget.js from the widget.* "
        "texts of every language in data/texts (run after editing those texts or adding a language).",
    )
    widget_strings.set_defaults(handler=cmd_widget_strings)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
