"""The command line of build.py: parse options, run the build, print problems and a summary.

Exit status: 0 built, 1 content problems (or warnings under --strict), 2 usage or
environment problems. These options are a stable interface (issue 2).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from . import runner, schema
from .config import BuildOptions, relative_display
from .memo import CACHE_FOLDER, DiskMemo, Memo
from .outputs import NOTES_FILE
from .pipeline import build_site
from .write import OutputRefused, refuse_output
from .problems import Severity
from .report import format_table
from . import i18n
from .i18n import _, ngettext

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
# site_gen's own layouts: a site's --layouts folder only needs the files it changes.
DEFAULT_LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description=_("Build an accessible policy website from content/."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_("Commands (each has its own --help):\n"
                 "  build.py init FOLDER --municipality KEY --name NAME   start a new site\n"
                 "  build.py new MUNICIPALITY/SLUG [--easy-read]   start a new document\n"
                 "  build.py import POLICY.docx --to content/MUNICIPALITY/SLUG/   bring in "
                 "a Word document\n"
                 "Guide for editors: docs/vejledning.md"))
    parser.add_argument("--site", metavar=_("DIR"),
                        help=_("a site made by 'build.py init': build its content/ into its "
                               "public/, as if run in DIR"))
    parser.add_argument("--content", metavar=_("DIR"),
                        help=_("folder with site.yaml and the documents (default: content)"))
    parser.add_argument("--layouts", metavar=_("DIR"),
                        help=_("folder with the Jinja layouts; files missing there come from "
                               "site_gen's own layouts (default: layouts)"))
    parser.add_argument("--out", "-o", metavar=_("DIR"),
                        help=_("where the site is written (default: public; with --serve, "
                               "a scratch folder, so the published site is never touched)"))
    parser.add_argument("--base-url", metavar="URL", type=_argument(schema.base_url),
                        help=_("the address the site is published at (overrides site.yaml)"))
    parser.add_argument("--advice", action="store_true",
                        help=_("also print plain-language advice on standard pages"))
    parser.add_argument("--drafts", action="store_true",
                        help=_("also publish documents with status: draft (the preview always "
                               "shows them)"))
    parser.add_argument("--strict", action="store_true",
                        help=_("count warnings as errors: nothing is written if there are any"))
    parser.add_argument("--no-cache", action="store_true",
                        help=_("build everything anew, without the memory of earlier builds "
                               "({folder}/ in the project folder)").format(folder=CACHE_FOLDER))
    parser.add_argument("--serve", action="store_true",
                        help=_("preview on http://127.0.0.1:PORT/, rebuilding and reloading "
                               "the browser on every change"))
    parser.add_argument("--port", type=_port, default=8000,
                        help=_("the preview's port (default: 8000)"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES,
                        help=_("the language of messages: da (default) or en; also "
                               "SITE_GEN_LANG or LANG=en_..."))
    return parser


def _argument(read):
    """An option read by the same reader as the setting it overrides (schema.py); a bad
    value is a usage error (exit 2) with the reader's message."""
    def convert(value: str):
        try:
            return read(value, 0)
        except schema.FieldError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    convert.__name__ = read.__name__.replace("_", " ")    # argparse names it in messages
    return convert


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(_("'{value}' is not a port; use a number from 1 to "
                                           "65535, such as 8000").format(value=value))
    return int(value)


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH when set (reproducible builds). It decides
    which review dates have passed and which periods have ended (model.timing); no page
    shows the date itself."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def make_import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py import",
        description=_("Bring in a Word document (.docx) as a page bundle, and write what "
                      "still needs a person in import-noter.md beside it."))
    parser.add_argument("docx", metavar=_("POLICY.docx"), help=_("the Word document"))
    parser.add_argument("--to", required=True, metavar=_("DIR"),
                        help=_("the new bundle, content/<municipality>/<slug>/"))
    parser.add_argument("--force", action="store_true",
                        help=_("replace the bundle's index.md (and its import-noter.md) if "
                               "it exists"))
    return parser


def import_main(argv: list[str]) -> int:
    """`build.py import`: exit 0 written (with notes), 2 when nothing could be written."""
    from .docx_import import ImportError_, import_docx
    from .problems import Problems
    args = make_import_parser().parse_args(argv)
    root = Path.cwd().resolve()
    display = lambda path: relative_display(root, path)
    source, target = Path(args.docx), Path(args.to)
    if not source.is_file():
        print(_("build.py import: error: '{file}' does not exist").format(file=args.docx),
              file=sys.stderr)
        return EXIT_USAGE
    problems = Problems()
    try:
        index = import_docx(source, target, args.force, display, problems)
    except ImportError_ as exc:
        print(_("build.py import: error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    for line in problems.sorted_lines(Severity.WARNING):
        print(line)
    print(ngettext("Imported {source} into {index}: {count} point to check, written in "
                   "{notes}. Then run build.py: it names every field still to fill in.",
                   "Imported {source} into {index}: {count} points to check, written in "
                   "{notes}. Then run build.py: it names every field still to fill in.",
                   len(problems)).format(source=display(source), index=display(index),
                                         count=len(problems),
                                         notes=display(index.parent / NOTES_FILE)))
    return EXIT_OK


def new_main(argv: list[str]) -> int:
    """`build.py new`: exit 0 written, 2 when nothing was written."""
    from .new_page import NewPageError, create, make_parser as make_new_parser
    args = make_new_parser().parse_args(argv)
    root = Path.cwd().resolve()
    try:
        written = create(Path(args.content), args.address, args.kind, args.easy_read)
    except NewPageError as exc:
        print(_("build.py new: error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(_("build.py new: error: {message}").format(message=_os_error(exc)),
              file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(_("Wrote {path}").format(path=relative_display(root, path.resolve())))
    print(_("Fill in 'summary' and the text, then run build.py: it names every field still "
            "to fill in."))
    return EXIT_OK


def init_main(argv: list[str]) -> int:
    """`build.py init`: exit 0 written, 2 when nothing was written."""
    from .new_site import NewSiteError, create, make_parser as make_init_parser
    args = make_init_parser().parse_args(argv)
    root = Path.cwd().resolve()
    folder = Path(args.folder)
    try:
        written, to_check = create(folder, args.municipality, args.name, args.website,
                                   args.base_url, args.phone, args.email, args.colour,
                                   build_date())
    except NewSiteError as exc:
        print(_("build.py init: error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(_("build.py init: error: {message}").format(message=_os_error(exc)),
              file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(_("Wrote {path}").format(path=relative_display(root, path.resolve())))
    shown = relative_display(root, folder.resolve())
    for item in to_check:
        print(_("Check in {path}: {item}").format(
            path=f"{shown}/content/site.yaml", item=item))
    print(_("The site for {name} is ready. See it in the browser with: python build.py "
            "--site {folder} --serve").format(name=" ".join(args.name.split()), folder=shown))
    return EXIT_OK


def take_language(argv: list[str]) -> list[str]:
    """Remove `--lang da|en` (anywhere, before or after a command) and choose the messages'
    language with it (i18n.ENV, which the build's worker processes inherit)."""
    rest, index = [], 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--lang" or arg.startswith("--lang="):
            value = arg.partition("=")[2] or (argv[index + 1] if index + 1 < len(argv) else "")
            index += 1 if "=" in arg else 2
            if value not in i18n.LANGUAGES:
                print(_("build.py: error: --lang must be one of: {values}").format(
                    values=", ".join(i18n.LANGUAGES)), file=sys.stderr)
                raise SystemExit(EXIT_USAGE)
            os.environ[i18n.ENV] = value
            continue
        rest.append(arg)
        index += 1
    return rest


def encode_safely() -> None:
    """A terminal or CI log that cannot show 'æ' (PYTHONIOENCODING=ascii) gets '?' for it,
    never a traceback in the middle of the problem list (issue 31)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") \
                not in ("utf8", "utf8sig"):
            stream.reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    encode_safely()
    argv = take_language(sys.argv[1:] if argv is None else argv)
    i18n.speak_argparse()
    if argv[:1] == ["import"]:
        return import_main(argv[1:])
    if argv[:1] == ["new"]:
        return new_main(argv[1:])
    if argv[:1] == ["init"]:
        return init_main(argv[1:])
    args = make_parser().parse_args(argv)
    try:
        runner.jobs_wanted()               # a bad SITE_GEN_JOBS stops here, not mid-build
    except runner.JobsError as exc:
        print(_("build.py: error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    here = Path.cwd()
    if args.site is not None:
        here = Path(args.site)
        if not here.is_dir():
            print(_("build.py: error: the site folder '{folder}' does not exist; make one "
                    "with: python build.py init {folder} --municipality ... --name ...").format(
                        folder=args.site), file=sys.stderr)
            return EXIT_USAGE
    root = Path.cwd().resolve()            # messages name files from where it was run
    if args.out is None:
        args.out = tempfile.mkdtemp(prefix="site_gen-preview-") if args.serve \
            else here / "public"
    args.content = args.content or here / "content"
    layouts = Path(args.layouts or here / "layouts")
    if args.layouts is None and not layouts.is_dir():
        layouts = DEFAULT_LAYOUTS
    options = BuildOptions(root=root, content_dir=Path(args.content).resolve(),
                           layouts_dir=layouts.resolve(),
                           output_dir=_output_path(args.out), base_url=args.base_url,
                           default_layouts_dir=DEFAULT_LAYOUTS, today=build_date(),
                           strict=args.strict, advice=args.advice, drafts=args.drafts)
    for label, folder in (("content", options.content_dir), ("layouts", options.layouts_dir)):
        if not folder.is_dir():
            print(_("build.py: error: the {label} folder '{folder}' does not exist").format(
                label=_("content") if label == "content" else _("layouts"), folder=folder),
                file=sys.stderr)
            return EXIT_USAGE
    refused = refuse_output(options)
    if refused is not None:
        print(_("build.py: error: {message}").format(message=refused), file=sys.stderr)
        return EXIT_USAGE
    if args.serve:
        from .serve import serve
        preview = dataclasses.replace(options, preview=True, drafts=True)
        try:
            return serve(options, args.port, lambda result, _: show(result, preview, args))
        except OSError as exc:
            import errno
            if exc.errno == errno.EADDRINUSE:
                print(_("build.py: error: the port {port} is in use (is a preview running "
                        "already?); nothing was built. Choose another, e.g. --port {other}"
                        ).format(port=args.port, other=args.port + 1), file=sys.stderr)
                return EXIT_USAGE
            print(_("build.py: error: {message}").format(message=_os_error(exc)),
                  file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt:
            return EXIT_OK
    try:
        # The memo lives in the project the build reads (the folder of its content/), never
        # in whatever folder the build happened to be started in (issue 31).
        memo = Memo() if args.no_cache else DiskMemo(options.content_dir.parent)
        notes = getattr(memo, "notes", [])
        said = _say_notes(notes, 0)
        result = build_site(options, memo)
        _say_notes(notes, said)
    except OutputRefused as exc:
        print(_("build.py: error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(_("build.py: error: {message}. Nothing was published; the previous output "
                "is unchanged.").format(message=_os_error(exc)), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(_("build.py: stopped. Nothing was published; the previous output is unchanged."),
              file=sys.stderr)
        return 130
    show(result, options, args)
    return EXIT_OK if result.wrote else EXIT_CONTENT


def _output_path(given) -> Path:
    from .write import site_path
    return site_path(Path(given))


def _say_notes(notes: list[str], said: int) -> int:
    """The memo's notes (issue 31) not said yet; returns how many are said now."""
    for note in notes[said:]:
        print(_("build.py: note: {message}").format(message=note), file=sys.stderr)
    return len(notes)


def _os_error(exc: OSError) -> str:
    """An environment error as one line in the editor's language: what went wrong and with
    which file (the system's own text, strerror, is English)."""
    import errno
    known = {errno.ENOSPC: _("the disk is full"), errno.EACCES: _("permission denied"),
             errno.EPERM: _("permission denied"), errno.ENOENT: _("no such file or folder"),
             errno.ENAMETOOLONG: _("the file name is too long"),
             errno.EROFS: _("the disk can only be read"), errno.EEXIST: _("it exists already"),
             errno.ENOTDIR: _("a part of the path is not a folder"),
             errno.EISDIR: _("it is a folder"), errno.EADDRINUSE: _("the port is in use"),
             errno.EDQUOT: _("the disk quota is used up")}
    text = known.get(exc.errno) or exc.strerror or str(exc)
    return f"{text} ({exc.filename})" if exc.filename else text


def show(result, options: BuildOptions, args) -> None:
    """Print the problems, the readability table (a full build's; the preview makes its
    report on request) and the summary line."""
    shown = Severity.INFO if args.advice else Severity.WARNING
    try:
        for line in result.problems.sorted_lines(shown, result.edited):
            print(line)
        if result.report:
            print(format_table(result.report))
        command = "python build.py" + (f" --site {args.site}" if args.site else "") + " --serve"
        print(summary(result, options, command), flush=True)
    except BrokenPipeError:          # `build.py | head` is fine
        sys.stderr.close()


def summary(result, options: BuildOptions, preview_command: str = "python build.py --serve") -> str:
    errors = result.problems.count(Severity.ERROR)
    warnings = result.problems.count(Severity.WARNING)
    advice = result.problems.count(Severity.INFO)
    counts = ", ".join((
        ngettext("{count} error", "{count} errors", errors).format(count=errors),
        ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
        _("{count} plain-language advice").format(count=advice),
        f"{result.seconds:.2f} s"))
    if result.wrote:
        shown = options.output_dir
        try:
            shown = shown.relative_to(options.root)
        except ValueError:
            pass
        if options.preview:
            return ngettext("Updated {pages} page: {counts}.", "Updated {pages} pages: {counts}.",
                            result.pages_written).format(pages=result.pages_written,
                                                         counts=counts)
        if result.drafts:
            counts += ngettext(
                "; {count} draft left out (status: draft): give it its real status when it "
                "is ready, or build with --drafts to see it published",
                "; {count} drafts left out (status: draft): give them their real status when "
                "they are ready, or build with --drafts to see them published",
                result.drafts).format(count=result.drafts)
        # Not "open public/index.html": opened as a file, a site built for its address has
        # no styles and no working links (issue 30). The preview shows it as it will be.
        return ngettext("Built {pages} page: {counts}. See the site with: {command} "
                        "({folder}/ is ready to be published at {url})",
                        "Built {pages} pages: {counts}. See the site with: {command} "
                        "({folder}/ is ready to be published at {url})",
                        result.pages_written).format(
            pages=result.pages_written, counts=counts, folder=shown,
            command=preview_command, url=result.base_url)
    reason = _("warnings count as errors (--strict)") if not errors else _("fix the errors above")
    return _("Nothing written ({reason}): {counts}. The previous output is unchanged.").format(
        reason=reason, counts=counts)
