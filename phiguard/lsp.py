"""`phiguard lsp`: a Language Server (stdio) that checks Markdown, plain-text and HTML drafts as they are
typed, with the verdict `phiguard scan` would give: findings at or above the config's fail level are
errors, the rest information. Quick fixes: redact a finding, or add an inline directive for its rule.

Scans run in one worker thread, debounced; a result for a text that has changed since is dropped.
Nothing here logs draft text: log lines keep their template only (see `_NoText`).
"""
from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Callable

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__
from .api import Options, Session, Text
from .config import find_config
from .errors import PhiguardError, internal_error
from .findings import Finding
from .redact import NOT_SPANS, placeholder

DEBOUNCE = 0.15  # seconds of quiet after a change before a scan (typing pauses are longer)
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "plaintext", ".html": "html", ".htm": "html"}
LANGUAGES = {"markdown": "markdown", "plaintext": "plaintext", "text": "plaintext", "html": "html"}  # languageId
READERS = {"markdown": ".md", "plaintext": ".txt", "html": ".html"}  # kind -> a suffix that picks its reader
_OWN_LINE_DIRECTIVE = re.compile(r"^\s*#+\s*phiguard:\s*disable-next-line\b")

Units = Callable[[str], int]  # length of a string in the client's position units (UTF-16 unless negotiated)


@dataclass
class Fix:
    """What the quick fixes of one published diagnostic need."""

    rule: str
    line: int  # 1-based, the finding's first line (where an inline directive applies)
    replacement: str | None  # the redaction placeholder; None when the finding is not a span of the text


Fixes = dict[tuple[int, int, int, int, str], Fix]  # (start line, start char, end line, end char, rule) -> Fix


@dataclass
class Published:
    """The last diagnostics sent for a document: quick fixes are offered only for these, on this version."""

    version: int | None
    text: str
    fixes: Fixes = field(default_factory=dict)


@dataclass
class Document:
    name: str  # the path it is scanned as (its suffix picks the reader)
    kind: str  # markdown, plaintext or html
    start: str  # where the config is looked for
    generation: int = 0  # bumped by every event: a scan of an older generation is stale


def target(uri: str, language_id: str | None, root: str | None) -> Document | None:
    """How to scan a document, or None when phiguard does not check its kind."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    suffix = PurePath(path or uri).suffix.lower()
    kind = SUFFIXES.get(suffix) or LANGUAGES.get(language_id or "")
    if kind is None:
        return None
    name = path or f"<{PurePath(uri).stem or 'untitled'}>"  # "<...>": no file name to check, no path to match
    if suffix not in SUFFIXES:
        name += READERS[kind]
    start = str(Path(path).parent) if path else (root or ".")
    return Document(name, kind, start)


class Sessions:
    """A loaded Session per config file, made again when its config, rules or baseline change.
    Used from the scan thread only."""

    def __init__(self) -> None:
        self._by_config: dict[Path | None, Session] = {}

    def get(self, start: str) -> Session:
        config = find_config(Path(start))
        session = self._by_config.get(config)
        if session is None or session.stale():
            session = self._by_config[config] = Session(Options(config=config, cache=False), start=start)
        return session


def position(lines: list[str], line: int, column: int, units: Units) -> t.Position:
    """phiguard's 1-based line and code-point column -> LSP's 0-based line and client units."""
    return t.Position(line - 1, units(lines[line - 1][: column - 1]))


def whole_line(lines: list[str], index: int, units: Units) -> t.Range:
    text = lines[index].rstrip("\r") if index < len(lines) else ""
    return t.Range(t.Position(index, 0), t.Position(index, units(text)))


def finding_range(f: Finding, lines: list[str], units: Units) -> t.Range:
    if f.offsets != "file":  # text not in the file's text (its name, a link's path): the line it belongs to
        return whole_line(lines, f.line - 1, units)
    return t.Range(position(lines, f.line, f.column, units), position(lines, f.end_line, f.end_column, units))


def not_checked(message: str, lines: list[str], units: Units) -> t.Diagnostic:
    return t.Diagnostic(range=whole_line(lines, 0, units), message=f"Not checked: {message}",
                        severity=t.DiagnosticSeverity.Error, code="not-checked", source="phiguard")


def check(sessions: Sessions, doc: Document, text: str, units: Units) -> tuple[list[t.Diagnostic], Fixes]:
    """Diagnostics for one text, and the quick fixes keyed by (range, rule)."""
    lines = text.split("\n")  # phiguard counts lines by "\n" alone
    try:
        session = sessions.get(doc.start)
        result = session.check(Text(text, doc.name))
    except PhiguardError as exc:  # a bad config, rule file, baseline or model: says what to fix, quotes no draft
        return [not_checked(str(exc), lines, units)], {}
    except Exception:  # noqa: BLE001 - named without its text, which may quote the draft
        return [not_checked(internal_error("language server"), lines, units)], {}
    diagnostics = [not_checked(result.error, lines, units)] if result.error else []
    fixes: Fixes = {}
    for f in result.findings:
        rule = session.rules.get(f.rule)
        fix = rule.fix if rule else ""
        blocking = f.severity >= session.fail_on
        r = finding_range(f, lines, units)
        diagnostics.append(t.Diagnostic(
            range=r, message=f.message + (f". Fix: {fix}" if fix else ""), code=f.rule, source="phiguard",
            severity=t.DiagnosticSeverity.Error if blocking else t.DiagnosticSeverity.Information))
        span = f.offsets == "file" and f.entity not in NOT_SPANS
        fixes[_key(r, f.rule)] = Fix(f.rule, f.line, placeholder(f) + "\n" * (f.end_line - f.line) if span else None)
    return diagnostics, fixes


def _key(r: t.Range, code: object) -> tuple[int, int, int, int, str]:
    return r.start.line, r.start.character, r.end.line, r.end.character, str(code)


def front_matter_end(lines: list[str]) -> int:
    """The 0-based line of the closing `---` of Markdown front matter, or -1."""
    if not lines or lines[0].strip() != "---":
        return -1
    return next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), -1)


def directive_edit(kind: str, lines: list[str], line: int, rule: str, units: Units) -> t.TextEdit | None:
    """An inline directive that disables `rule` on 1-based `line`: in Markdown and HTML a comment at the end
    of the line (a comment on its own line would split a Markdown paragraph); in plain text a
    `# phiguard: disable-next-line` line above it, or the rule added to one already there."""
    i = line - 1
    text = lines[i].rstrip("\r")
    if kind == "plaintext":
        above = lines[i - 1].rstrip("\r") if i > 0 else ""
        if _OWN_LINE_DIRECTIVE.match(above):
            end = t.Position(i - 1, units(above))
            return t.TextEdit(t.Range(end, end), f",{rule}")
        indent = text[: len(text) - len(text.lstrip())]
        newline = "\r\n" if lines[i].endswith("\r") else "\n"
        return t.TextEdit(t.Range(t.Position(i, 0), t.Position(i, 0)),
                          f"{indent}# phiguard: disable-next-line {rule}{newline}")
    if kind == "markdown" and i <= front_matter_end(lines):
        return None  # a comment there would change the YAML (phiguard reads no directive in front matter)
    end = t.Position(i, units(text))
    return t.TextEdit(t.Range(end, end), f" <!-- phiguard: disable-line {rule} -->")


class PhiguardServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("phiguard", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Full)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="phiguard-scan")  # one scan at a time
        self.sessions = Sessions()
        self.docs: dict[str, Document] = {}
        self.tasks: dict[str, asyncio.Task] = {}
        self.published: dict[str, Published] = {}

    def units(self, text: str) -> int:
        return self.workspace.position_codec.client_num_units(text)

    def report_server_error(self, error: Exception, source: object) -> None:
        # pygls would show str(error), which may quote a draft
        self.window_show_message(t.ShowMessageParams(
            type=t.MessageType.Error, message=f"phiguard: internal error ({type(error).__name__})"))

    def schedule(self, uri: str, delay: float) -> None:
        """Check the document after `delay` quiet seconds; an earlier pending check is dropped."""
        doc = self.docs.get(uri)
        if doc is None:
            return
        doc.generation += 1
        if (pending := self.tasks.pop(uri, None)) is not None:
            pending.cancel()
        self.tasks[uri] = asyncio.get_running_loop().create_task(self._run(uri, doc, doc.generation, delay))

    async def _run(self, uri: str, doc: Document, generation: int, delay: float) -> None:
        await asyncio.sleep(delay)
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source

        def work() -> tuple[list[t.Diagnostic], Fixes] | None:
            return None if doc.generation != generation else check(self.sessions, doc, text, self.units)

        outcome = await asyncio.get_running_loop().run_in_executor(self.pool, work)
        if outcome is None or doc.generation != generation or self.docs.get(uri) is not doc:
            return  # stale: a newer check is on its way
        diagnostics, fixes = outcome
        self.published[uri] = Published(version, text, fixes)
        self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def versioned_edits(self, uri: str, version: int | None, edits: list[t.TextEdit]) -> t.WorkspaceEdit:
        caps = self.client_capabilities.workspace
        if caps and caps.workspace_edit and caps.workspace_edit.document_changes:
            identifier = t.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return t.WorkspaceEdit(document_changes=[t.TextDocumentEdit(text_document=identifier, edits=edits)])
        return t.WorkspaceEdit(changes={uri: edits})


server = PhiguardServer()


@server.feature(t.INITIALIZED)
def initialized(ls: PhiguardServer, params: t.InitializedParams) -> None:
    """Load the model now, in the scan thread, so that the first check does not wait for it (much)."""
    root = ls.workspace.root_path or "."

    def warm() -> None:
        try:
            ls.sessions.get(root)
        except Exception:  # noqa: BLE001 - reported on the first document it concerns
            pass

    ls.pool.submit(warm)


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PhiguardServer, params: t.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    doc = target(item.uri, item.language_id, ls.workspace.root_path)
    if doc is not None:
        ls.docs[item.uri] = doc
        ls.schedule(item.uri, 0)


@server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PhiguardServer, params: t.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE)


@server.feature(t.TEXT_DOCUMENT_DID_SAVE, t.SaveOptions(include_text=False))
def did_save(ls: PhiguardServer, params: t.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PhiguardServer, params: t.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    if ls.docs.pop(uri, None) is not None:
        if (pending := ls.tasks.pop(uri, None)) is not None:
            pending.cancel()
        ls.published.pop(uri, None)
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
def code_action(ls: PhiguardServer, params: t.CodeActionParams) -> list[t.CodeAction]:
    uri = params.text_document.uri
    doc, published = ls.docs.get(uri), ls.published.get(uri)
    only = params.context.only
    if doc is None or published is None or (only and t.CodeActionKind.QuickFix not in only):
        return []
    if ls.workspace.get_text_document(uri).version != published.version:
        return []  # the text changed since: fresh diagnostics are on their way
    lines = published.text.split("\n")
    actions = []
    for d in params.context.diagnostics:
        fix = published.fixes.get(_key(d.range, d.code)) if d.source == "phiguard" else None
        if fix is None:
            continue
        if fix.replacement is not None:
            actions.append(t.CodeAction(
                title=f"Redact this ({fix.replacement.strip()})", kind=t.CodeActionKind.QuickFix, diagnostics=[d],
                is_preferred=True, edit=ls.versioned_edits(uri, published.version, [t.TextEdit(d.range, fix.replacement)])))
        if (edit := directive_edit(doc.kind, lines, fix.line, fix.rule, ls.units)) is not None:
            actions.append(t.CodeAction(
                title=f"Add an inline directive for this rule ({fix.rule})", kind=t.CodeActionKind.QuickFix,
                diagnostics=[d], edit=ls.versioned_edits(uri, published.version, [edit])))
    return actions


class _NoText(logging.Filter):
    """Log records keep their template only: arguments and tracebacks may quote a draft."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.args, record.exc_info, record.exc_text, record.stack_info = (), None, None, None
        return True


def main() -> None:
    handler = logging.StreamHandler()  # stderr: stdout is the protocol
    handler.addFilter(_NoText())
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    server.start_io()

