"""Compile JSON Resume documents to PDF and PNG with Typst templates.

A template is a folder: `template.typ` plus any assets (images, included `.typ` files). The
resume reaches it only as JSON, never spliced into markup: as the file `resume.json` at the
compile root (`json("resume.json")`), or as `sys.inputs.data` for templates that do not mention
`resume.json`. The file is the fast path: `sys.inputs` is part of Typst's standard library, so
changing it invalidates nearly all of Typst's memoised work, while a changed file invalidates only
what reads it. The folder is the compile root, so a template cannot read a file outside it.

Every thread compiles from its own private copy of the template (written once into a temporary
folder named by the template's content hash, the process and the thread), because the data file
is rewritten for every render.

A Typst `Compiler` cannot be used by two threads at once ("Already borrowed"), so each
thread keeps its own, all sharing one font set built once per process. The binding holds the
GIL while compiling: a render in a worker thread is safe but stalls the event loop for its
duration, and threads add no throughput. `resumate.rendering.pool.RenderPool` renders in
spawned processes instead.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import pypdfium2
import typst

from resumate.jsonresume import parse_resume
from resumate.rendering.fonts import typst_fonts

__all__ = [
    "MAIN_FILE",
    "TEMPLATES_DIR",
    "PageOutOfRange",
    "RenderError",
    "RenderedPdf",
    "TemplateError",
    "TemplateInfo",
    "TemplateNotFound",
    "TemplateSource",
    "builtin_templates",
    "check_template",
    "count_pdf_pages",
    "load_builtin_template",
    "render_pdf",
    "render_png",
    "sample_resume",
    "template_from_folder",
]

TEMPLATES_DIR = Path(__file__).parent / "templates"
SAMPLES_DIR = Path(__file__).parent / "samples"
MAIN_FILE = "template.typ"
META_FILE = "meta.json"
PREVIEW_FILE = "preview.png"
DATA_FILE = "resume.json"
_NOT_ASSETS = {MAIN_FILE, META_FILE, PREVIEW_FILE, DATA_FILE}
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# A Typst package import ("@preview/name:1.0.0") would be downloaded at render time.
_PACKAGE_IMPORT_RE = re.compile(rb"\"@[A-Za-z0-9_-]+/")
MAX_ASSETS = 200


class RenderError(Exception):
    """Base class of rendering failures."""


class TemplateError(RenderError):
    """A template failed to compile; `message` is the compiler's own message."""

    def __init__(self, message: str, *, details: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or message

    def __reduce__(self) -> tuple[Any, ...]:
        # Keeps `details` when the error crosses a process boundary (see pool.py).
        return (_template_error, (self.message, self.details))


class TemplateNotFound(RenderError, LookupError):
    """No built-in template has that slug."""


class PageOutOfRange(RenderError, IndexError):
    """A page was asked for that the document does not have."""

    def __init__(self, page: int, pages: int) -> None:
        super().__init__(f"page {page} is out of range: the document has {pages} page(s)")
        self.page = page
        self.pages = pages

    def __reduce__(self) -> tuple[Any, ...]:
        return (PageOutOfRange, (self.page, self.pages))


def _template_error(message: str, details: str) -> TemplateError:
    return TemplateError(message, details=details)


@dataclass(frozen=True)
class TemplateInfo:
    slug: str
    name: str
    description: str
    version: str
    preview_path: Path | None = None


@dataclass(frozen=True)
class TemplateSource:
    """A template's files: `main` is `template.typ`, `assets` maps relative paths to bytes.

    Treat it as read-only: built-ins are cached and shared.
    """

    slug: str
    version: str
    main: bytes
    assets: Mapping[str, bytes] = field(default_factory=dict)
    # Set for built-ins (shipped in the package, so trusted: no package-import check).
    directory: Path | None = None

    @cached_property
    def reads_data_file(self) -> bool:
        """Whether the template reads the resume from `resume.json` (else `sys.inputs.data`)."""
        name = DATA_FILE.encode()
        return any(
            name in content
            for path, content in [(MAIN_FILE, self.main), *self.assets.items()]
            if path.endswith(".typ")
        )

    @cached_property
    def digest(self) -> str:
        """Content hash of the files (not of slug or version)."""
        h = hashlib.sha256()
        for name, content in [(MAIN_FILE, self.main), *sorted(self.assets.items())]:
            h.update(name.encode() + b"\0" + len(content).to_bytes(8, "big") + content)
        return h.hexdigest()

    def __reduce_ex__(self, protocol: Any) -> Any:
        # A built-in (the cached object of `load_builtin_template`) crosses to a render process
        # as its slug, and that process uses its own cached copy of the same files: not some
        # 25 KB of template pickled with every render. Anything else is pickled whole.
        if self.directory is not None:
            try:
                if load_builtin_template(self.slug) is self:
                    return (load_builtin_template, (self.slug,))
            except TemplateNotFound:
                pass
        return super().__reduce_ex__(protocol)


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: int
    sha256: str
    size_bytes: int


# --- built-in templates -------------------------------------------------------------------


def _read_meta(folder: Path) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    return meta


def builtin_templates() -> list[TemplateInfo]:
    """The templates shipped with Resumate, sorted by slug."""
    infos = []
    for folder in sorted(TEMPLATES_DIR.iterdir()):
        if not (folder / MAIN_FILE).is_file():
            continue
        meta = _read_meta(folder)
        preview = folder / PREVIEW_FILE
        infos.append(
            TemplateInfo(
                slug=meta["slug"],
                name=meta["name"],
                description=meta["description"],
                version=str(meta["version"]),
                preview_path=preview if preview.is_file() else None,
            )
        )
    return infos


def template_from_folder(
    folder: Path, *, slug: str | None = None, version: str | None = None
) -> TemplateSource:
    """Read a template folder (`template.typ`, optional `meta.json`, assets) into a source.

    The result compiles from a private copy, never in place, so the folder may change later.
    """
    meta = _read_meta(folder) if (folder / META_FILE).is_file() else {}
    assets = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        hidden = any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
        if path.is_file() and not hidden and rel.as_posix() not in _NOT_ASSETS:
            assets[rel.as_posix()] = path.read_bytes()
    return TemplateSource(
        slug=slug or str(meta.get("slug") or folder.name.lower()),
        version=version or str(meta.get("version") or "0"),
        main=(folder / MAIN_FILE).read_bytes(),
        assets=assets,
    )


@cache
def load_builtin_template(slug: str) -> TemplateSource:
    """A built-in template's files; raises `TemplateNotFound` for an unknown slug."""
    if not _SLUG_RE.match(slug) or not (TEMPLATES_DIR / slug / MAIN_FILE).is_file():
        raise TemplateNotFound(f"no built-in template named {slug!r}")
    folder = TEMPLATES_DIR / slug
    source = template_from_folder(folder, slug=slug)
    return dataclasses.replace(source, directory=folder)


@cache
def sample_resume() -> dict[str, Any]:
    """A complete JSON Resume with accented Latin, Greek, Cyrillic, Chinese and Arabic text.

    Returns the same cached object on every call: copy it before changing it.
    """
    data: dict[str, Any] = json.loads((SAMPLES_DIR / "sample.json").read_text(encoding="utf-8"))
    return data


# --- materialising uploaded templates ------------------------------------------------------

_materialise_lock = threading.Lock()
_cache_root: Path | None = None


def _cache_dir() -> Path:
    global _cache_root
    if _cache_root is None:
        _cache_root = Path(tempfile.mkdtemp(prefix="resumate-templates-"))
        atexit.register(shutil.rmtree, _cache_root, ignore_errors=True)
    return _cache_root


def _safe_asset_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\0" in name
        or path.is_absolute()
        or any(part in {"", ".", ".."} for part in path.parts)
        or name != path.as_posix()
    ):
        raise TemplateError(
            f"invalid asset path {name!r}: use a relative path such as img/logo.png"
        )
    if name in _NOT_ASSETS:
        raise TemplateError(f"asset path {name!r} is reserved")
    return path


def _template_root(template: TemplateSource) -> Path:
    """This thread's private copy of `template`, written on first use."""
    roots: dict[str, Path] | None = getattr(_local, "roots", None)
    if roots is None:
        roots = _local.roots = {}
    root = roots.get(template.digest)
    if root is not None:
        return root
    if len(template.assets) > MAX_ASSETS:
        raise TemplateError(f"a template may have at most {MAX_ASSETS} assets")
    paths = {name: _safe_asset_path(name) for name in template.assets}
    with _materialise_lock:
        cache_dir = _cache_dir()
    root = Path(
        tempfile.mkdtemp(dir=cache_dir, prefix=f"{template.digest[:16]}-{threading.get_ident()}-")
    )
    (root / MAIN_FILE).write_bytes(template.main)
    for name, rel in paths.items():
        target = root.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(template.assets[name])
    roots[template.digest] = root
    return root


# --- compiling ------------------------------------------------------------------------------

_local = threading.local()
# PDFium is not thread-safe.
_pdfium_lock = threading.Lock()


def _compiler() -> typst.Compiler:
    compiler: typst.Compiler | None = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(font_paths=typst_fonts())
        _local.compiler = compiler
    return compiler


def _check_no_packages(template: TemplateSource) -> None:
    for name, content in [(MAIN_FILE, template.main), *template.assets.items()]:
        if name.endswith(".typ") and _PACKAGE_IMPORT_RE.search(content):
            raise TemplateError(
                f"{name} imports a Typst package; packages are not downloaded at render time, "
                "so copy the package's files into the template as assets instead"
            )


def _compile(
    data: dict[str, Any], template: TemplateSource, fmt: Literal["pdf", "png"], ppi: float | None
) -> Any:
    document = parse_resume(data).to_json()
    if template.directory is None:
        _check_no_packages(template)
    root = _template_root(template)
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    compiler = _compiler()
    # `sys_inputs` given to `compile` replaces the compiler's inputs, and setting them, even to
    # the same empty dict, costs about 0.7 ms of each 8 ms render (measured): a data-file
    # template leaves them as they are unless a sys.inputs template set some before on this
    # thread's compiler (they must then be cleared: the helper library reads
    # `sys.inputs.data` first).
    inputs: Any = ...
    if template.reads_data_file:
        (root / DATA_FILE).write_text(payload, encoding="utf-8")
        if getattr(_local, "inputs_set", True):
            inputs = {}
            _local.inputs_set = False
    else:
        inputs = {"data": payload}
        _local.inputs_set = True
    try:
        return compiler.compile(
            input=str(root / MAIN_FILE),
            root=str(root),
            sys_inputs=inputs,
            format=fmt,
            ppi=ppi,
        )
    except typst.TypstError as exc:
        prefix = str(root) + os.sep
        details = str(getattr(exc, "diagnostic", "") or exc).replace(prefix, "")
        message = str(getattr(exc, "message", "") or exc).replace(prefix, "")
        raise TemplateError(message, details=details.strip()) from None


# Typst writes the page tree first, flat: `1 0 obj <</Type/Pages/Count N/Kids[...]>>`.
_PAGE_TREE_RE = re.compile(
    rb"%PDF-[0-9.]+\n%[^\n]*\n+1 0 obj\n<</Type/Pages/Count ([0-9]+)/Kids\[((?:[0-9]+ 0 R ?)*)\]>>"
)


def typst_page_count(pdf: bytes) -> int | None:
    """The page count of Typst's page tree in its usual form (`/Count` and as many `/Kids`),
    else None."""
    match = _PAGE_TREE_RE.match(pdf)
    if match is None:
        return None
    count = int(match.group(1))
    return count if match.group(2).count(b" R") == count else None


def count_pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: read from Typst's page tree when it has its usual form (about 0.3 ms
    less per render than opening the document), else counted by PDFium."""
    count = typst_page_count(pdf)
    if count is not None:
        return count
    with _pdfium_lock:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def render_pdf(data: dict[str, Any], template: TemplateSource) -> RenderedPdf:
    """Compile a JSON Resume document to PDF with `template`.

    Raises `ResumeValidationError` for an invalid document and `TemplateError` when the
    template does not compile.
    """
    pdf: bytes = _compile(data, template, "pdf", None)
    return RenderedPdf(
        pdf=pdf,
        pages=count_pdf_pages(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        size_bytes=len(pdf),
    )


def render_png(
    data: dict[str, Any], template: TemplateSource, *, page: int = 1, ppi: int = 110
) -> bytes:
    """A PNG image of one page (1-based); raises `PageOutOfRange` past the last page."""
    if not 1 <= ppi <= 600:
        raise ValueError("ppi must be between 1 and 600")
    result = _compile(data, template, "png", float(ppi))
    pages: list[bytes] = result if isinstance(result, list) else [result]
    if not 1 <= page <= len(pages):
        raise PageOutOfRange(page, len(pages))
    return pages[page - 1]


def check_template(template: TemplateSource) -> None:
    """Test-compile a template against the sample resume and an empty one.

    Raises `TemplateError` with the compiler's message when either fails.
    """
    if not _SLUG_RE.match(template.slug):
        raise TemplateError(
            f"invalid template slug {template.slug!r}: use lowercase letters, digits and '-'"
        )
    _check_no_packages(template)
    for document in (sample_resume(), {}):
        result = render_pdf(document, template)
        if result.pages < 1:
            raise TemplateError("the template produced an empty document")
